"""The ``/api/v1`` router: includes one router per resource, nothing else."""

from __future__ import annotations

from fastapi import APIRouter

from hegui.governance.api import router as governance_router
from hegui.service.api.routes import (
    apps,
    auth,
    campaigns,
    gate,
    health,
    notices,
    organisations,
    removals,
    reviews,
    uploads,
    versions,
)

API_PREFIX = "/api/v1"

api_router = APIRouter(prefix=API_PREFIX)
api_router.include_router(health.router)
api_router.include_router(auth.router)
api_router.include_router(organisations.router)
api_router.include_router(apps.router)
api_router.include_router(uploads.router)
api_router.include_router(versions.router)
api_router.include_router(gate.router)
api_router.include_router(notices.router)
api_router.include_router(notices.public_router)
api_router.include_router(removals.router)
api_router.include_router(reviews.router)
api_router.include_router(campaigns.router)
api_router.include_router(governance_router)  # platform governance (hegui.governance.api)

TAGS = [
    {"name": "health", "description": "Liveness (no authentication)."},
    {"name": "auth", "description": "Tokens for a username and password; users and tokens (admin)."},
    {"name": "organisations", "description": "Enterprises behind apps; strikes; review before release."},
    {"name": "apps", "description": "Apps by package name."},
    {"name": "uploads", "description": "Upload an APK for testing."},
    {"name": "versions", "description": "Uploaded APKs: job status, result, HTML report."},
    {"name": "gate", "description": "The listing gate for distribution platforms."},
    {"name": "notices", "description": "Notice batches (通报): draft, entries, publish."},
    {"name": "public", "description": "Published notices, open to everyone."},
    {"name": "removals", "description": "Removals (下架) and overdue rectification cases."},
    {"name": "reviews", "description": "Reviewers' decisions on assisted and manual items."},
    {"name": "campaigns", "description": "Batch tests (专项检测) over uploaded APKs."},
    {"name": "governance", "description": "Platform governance: complaints, cases, sanctions, notices."},
]
