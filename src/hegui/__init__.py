"""hegui (合规): static testing of Android apps for personal-information compliance under Chinese rules.

Data flows one way: APK -> facts -> findings -> verdict -> report.
The public API is :func:`hegui.api.scan`.
"""

__version__ = "0.1.0"
