"""The facts model: what an APK is and does, extracted once, typed and serialisable.

Checks read these models and never re-open the APK. Field names of :class:`Facts` and
:class:`CallSite` are read by other tools (see docs/json-output.md): keep them stable and
bump ``FACTS_SCHEMA_VERSION`` on any incompatible change.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hegui.policy.model import PolicyAnalysis

FACTS_SCHEMA_VERSION = 2  # 2: policy, policy_source


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PermissionRequest(Frozen):
    """One ``<uses-permission>`` (or ``<uses-permission-sdk-23>``) element."""

    name: str
    max_sdk_version: int | None = None
    sdk23: bool = False  # declared with <uses-permission-sdk-23>


class IntentFilter(Frozen):
    actions: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    schemes: list[str] = Field(default_factory=list)


class Component(Frozen):
    """An activity, activity-alias, service, receiver or provider declared in the manifest."""

    kind: Literal["activity", "activity-alias", "service", "receiver", "provider"]
    name: str  # fully qualified class name, e.g. com.example.MainActivity
    exported: bool  # effective value (explicit, or implied by intent filters before API 31)
    exported_explicit: bool | None = None  # the android:exported attribute as written, if any
    permission: str | None = None
    read_permission: str | None = None
    write_permission: str | None = None
    intent_filters: list[IntentFilter] = Field(default_factory=list)
    authorities: list[str] = Field(default_factory=list)  # providers only
    init_order: int | None = None  # providers only
    enabled: bool = True
    process: str | None = None


class NetworkSecurityConfig(Frozen):
    """res/xml network security config, as far as PI compliance needs it."""

    file: str | None = None  # path inside the APK, e.g. res/xml/network_security_config.xml
    base_cleartext_permitted: bool | None = None
    cleartext_domains: list[str] = Field(default_factory=list)  # domain-config cleartextTrafficPermitted=true
    trusts_user_certificates: bool = False
    debug_overrides: bool = False
    parse_error: str | None = None


class Manifest(Frozen):
    package: str
    version_code: int | None = None
    version_name: str | None = None
    min_sdk: int | None = None
    target_sdk: int | None = None
    max_sdk: int | None = None
    permissions: list[PermissionRequest] = Field(default_factory=list)
    declared_permissions: list[str] = Field(default_factory=list)  # <permission> defined by the app
    label: str | None = None  # application android:label, default configuration, when it resolves
    application_class: str | None = None
    app_component_factory: str | None = None
    debuggable: bool = False
    allow_backup: bool = True  # platform default when the attribute is absent
    full_backup_content: str | None = None
    data_extraction_rules: str | None = None
    uses_cleartext_traffic: bool | None = None  # None: attribute absent (default depends on targetSdk)
    network_security_config: NetworkSecurityConfig | None = None
    components: list[Component] = Field(default_factory=list)
    launcher_activity: str | None = None
    uses_features: list[str] = Field(default_factory=list)
    queries_packages: list[str] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)  # <meta-data> under <application>, name -> value


class Certificate(Frozen):
    schemes: list[str]  # which signature schemes carry it: v1, v2, v3
    subject: str
    issuer: str
    serial: str
    sha256: str  # of the DER certificate, lowercase hex
    not_before: str  # ISO 8601
    not_after: str
    signature_algorithm: str | None = None
    debug: bool = False  # the Android debug certificate (CN=Android Debug)


class DexInfo(Frozen):
    name: str  # entry name, e.g. classes2.dex
    size: int
    version: str
    classes: int
    methods: int
    strings: int


class CallSite(Frozen):
    """One reference from bytecode to a catalogued sensitive API.

    ``api`` is the catalogued Dalvik descriptor (for ``invoke`` and ``field``) or the string literal
    (for ``string``); ``caller`` is the Dalvik descriptor of the method holding the instruction.
    ``owner`` is ``app``, ``sdk:<catalogue id>`` or ``third-party:<package prefix>``.
    """

    api: str
    kind: Literal["invoke", "field", "string"]
    api_id: str  # id of the sensitive_apis.yaml entry
    pi_type: str
    permissions: list[str] = Field(default_factory=list)  # any of these is needed (from the catalogue)
    caller: str
    dex: str
    offset: int  # in 16-bit code units from the start of the caller's instructions
    via: str | None = None  # the descriptor as written, when it named an app subclass of the API's class
    owner: str = "app"


class SdkSignal(Frozen):
    """One piece of evidence that an SDK is embedded."""

    kind: Literal["code", "component", "native_lib", "domain"]
    value: str  # package prefix, component class, .so name or domain
    count: int = 1  # classes under the prefix (code), else 1


class DetectedSdk(Frozen):
    """A catalogued SDK found in the APK, with the PI it reaches here and the PI its vendor declares."""

    id: str
    name_zh: str
    name_en: str
    vendor_zh: str
    vendor_en: str
    category: str
    country: str
    confidence: Literal["low", "medium", "high"]
    signals: list[SdkSignal] = Field(default_factory=list)
    pi_reached: list[str] = Field(default_factory=list)  # pi types of call sites attributed to it
    pi_declared: list[str] = Field(default_factory=list)  # the vendor's own disclosure
    declared_basis: Literal["vendor", "inferred"] = "vendor"  # inferred: not yet checked against one
    privacy_policy: str | None = None


class ThirdPartyPackage(Frozen):
    """Code outside the app's namespace that reaches PI but matches no catalogued SDK."""

    package: str
    pi_reached: list[str] = Field(default_factory=list)
    call_sites: int = 0


class StartupInit(Frozen):
    """An SDK initialisation call reachable from code Android runs before any UI."""

    sdk: str  # catalogue id
    api: str  # the init call as written
    entry: str  # the startup method the chain starts from
    chain: list[str]  # method descriptors from the entry to the method making the call
    gated: bool  # the SDK's consent API is called at startup, or the call sits behind a branch
    gate: str | None = None  # the consent API seen, if any
    conditional: bool = False  # a forward branch in some method of the chain skips the call


class StartupCollection(Frozen):
    """A sensitive call site reachable from code Android runs before any UI."""

    api: str
    pi_type: str
    caller: str
    owner: str
    entry: str
    chain: list[str]
    conditional: bool = False


class StartupReach(Frozen):
    """What runs before the user can see (let alone accept) a privacy policy."""

    entries: list[str] = Field(default_factory=list)
    sdk_inits: list[StartupInit] = Field(default_factory=list)
    collection: list[StartupCollection] = Field(default_factory=list)
    max_depth: int = 0
    truncated: bool = False  # the method budget ran out before the graph was exhausted


class AppTypeAssessment(Frozen):
    """Which of the 39 app types (必要个人信息范围规定) the app is, and the PI necessary for it."""

    id: str  # knowledge/data/app_types.yaml id, e.g. map_navigation
    name_zh: str
    name_en: str
    source: Literal["given", "inferred"]  # given: --app-type / the service; inferred: from label/package
    confidence: Literal["low", "medium", "high"]
    basis: str  # why: "--app-type", or the keyword matched and where
    necessary_pi_types: list[str] = Field(default_factory=list)  # hegui PI types the type needs


class TlsOverride(Frozen):
    """App code that replaces a platform TLS check, and what the replacement does.

    ``kind``: ``trust_manager`` (``X509TrustManager.checkServerTrusted``), ``hostname_verifier``
    (``HostnameVerifier.verify``), ``webview_ssl_error`` (``WebViewClient.onReceivedSslError``) or
    ``allow_all_verifier`` (a method that installs Apache's allow-all hostname verifier).
    ``verdict``: ``accepts_all`` (never rejects: no throw and no check whose failure propagates,
    or ``verify`` always returns ``true``),
    ``proceeds`` (calls ``SslErrorHandler.proceed()``), ``conditional`` (``proceed()`` on one path,
    ``cancel()`` on another) or ``checks`` (none of these: a real check, or one hegui cannot read).
    ``offset`` is the deciding instruction, in 16-bit code units from the method's first one.
    """

    kind: Literal["trust_manager", "hostname_verifier", "webview_ssl_error", "allow_all_verifier"]
    declaring_class: str  # Dalvik descriptor of the class holding the method
    method: str  # Dalvik descriptor of the method
    interface: str  # the platform type overridden, e.g. Ljavax/net/ssl/X509TrustManager;
    verdict: Literal["accepts_all", "checks", "proceeds", "conditional"]
    owner: str = "app"  # as CallSite.owner
    dex: str
    offset: int = 0


class UrlRef(Frozen):
    """A cleartext (``http://``) URL constant and one method that loads it (``const-string``)."""

    url: str
    caller: str  # Dalvik descriptor of the method
    owner: str = "app"  # as CallSite.owner


class AnalysisNote(Frozen):
    """Something that could not be analysed, or a sign worth knowing (e.g. a packed app)."""

    code: str  # e.g. dex-malformed, hidden-dex, manifest-huge
    message: str
    file: str | None = None


class PolicySource(Frozen):
    """Where the analysed privacy policy came from, or that none was found (``kind`` ``none``).

    ``kind``: ``asset`` (under assets/), ``raw`` (res/raw*), ``string_resource`` (consent-dialog
    text in resources.arsc), ``given`` (``--policy`` file or URL) or ``none``. ``path`` is the
    entry (several joined with `` + ``), resource name(s), file or URL; ``chars`` the length of the
    text analysed; ``reason`` why it was chosen; ``candidates`` every entry considered.
    """

    kind: Literal["asset", "raw", "string_resource", "given", "none"]
    path: str | None = None
    chars: int = 0
    reason: str | None = None
    candidates: list[str] = Field(default_factory=list)


class Facts(Frozen):
    """Everything hegui knows about one APK."""

    schema_version: int = FACTS_SCHEMA_VERSION
    file_name: str
    file_size: int
    sha256: str
    package: str
    version_code: int | None = None
    version_name: str | None = None
    min_sdk: int | None = None
    target_sdk: int | None = None
    permissions: list[str] = Field(default_factory=list)  # requested permission names, sorted, unique
    manifest: Manifest
    certificates: list[Certificate] = Field(default_factory=list)
    signing_schemes: list[str] = Field(default_factory=list)
    dex_files: list[DexInfo] = Field(default_factory=list)
    native_libs: list[str] = Field(default_factory=list)  # paths, e.g. lib/arm64-v8a/libfoo.so
    assets: list[str] = Field(default_factory=list)
    hidden_dex: list[str] = Field(default_factory=list)  # DEX files outside classes*.dex (packers)
    call_sites: list[CallSite] = Field(default_factory=list)
    sdks: list[DetectedSdk] = Field(default_factory=list)
    third_party_packages: list[ThirdPartyPackage] = Field(default_factory=list)
    startup: StartupReach | None = None
    app_type: AppTypeAssessment | None = None
    urls: list[str] = Field(default_factory=list)  # http(s) URLs found as string constants
    domains: list[str] = Field(default_factory=list)
    cleartext_urls: list[UrlRef] = Field(default_factory=list)  # the http:// ones, with who loads them
    tls: list[TlsOverride] = Field(default_factory=list)  # overridden TLS checks (see TlsOverride)
    policy: PolicyAnalysis | None = None  # the privacy policy analysed (bundled or given), if any
    policy_source: PolicySource | None = None  # where it came from; None: no policy search was made
    notes: list[AnalysisNote] = Field(default_factory=list)

    def sdk_for(self, owner: str) -> DetectedSdk | None:
        """The detected SDK an owner ``sdk:<id>`` names (None for ``app``, third-party code or an
        id that was not detected)."""
        kind, _, sid = owner.partition(":")
        if kind != "sdk":
            return None
        return next((s for s in self.sdks if s.id == sid), None)
