"""Third-party SDK rules (HG-SDK-0xx): collection before consent, and code nobody has identified.

These read ``Facts.startup`` (what runs before any UI: see :mod:`hegui.facts.startup`) and the
owner of every call site (``Facts.call_sites[].owner``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from hegui.checks import evidence as ev
from hegui.checks.legal import (
    APP_6_1,
    C2021_SPLASH,
    M164_COLLECT,
    M164_MISLEAD_DOWNLOAD,
    PIPL_13,
    PIPL_14,
    RD_3_1,
    RD_5_1,
)
from hegui.checks.model import Evidence, Finding, Severity, Text
from hegui.checks.registry import rule
from hegui.facts.model import CallSite, Facts, StartupCollection
from hegui.knowledge import sdks as sdk_catalogue


def _chain(chain: list[str]) -> str:
    return " → ".join(chain)


def _sdk_name(facts: Facts, owner: str) -> tuple[str, str]:
    sdk = facts.sdk_for(owner)
    return (sdk.name_zh, sdk.name_en) if sdk else (owner, owner)


@rule(
    id="HG-SDK-001",
    family="SDK",
    title=Text(zh="第三方 SDK 在用户同意隐私政策前初始化", en="Third-party SDK initialised before consent"),
    description=Text(
        zh="在任何界面出现之前运行的代码（Application.attachBaseContext/onCreate、ContentProvider.onCreate）"
        "无条件地调用了第三方 SDK 的初始化接口，且未先调用该 SDK 提供的合规接口（预初始化、隐私授权开关）。"
        "SDK 初始化后通常立即采集设备标识等个人信息，此时用户尚未看到、更未同意隐私政策。",
        en="Code that runs before any UI (Application.attachBaseContext/onCreate, ContentProvider.onCreate) "
        "calls a third-party SDK's initialisation unconditionally, without first calling the SDK's consent "
        "API (pre-init or privacy switch). SDKs usually start collecting device identifiers as soon as they "
        "are initialised, before the user has seen, let alone accepted, the privacy policy.",
    ),
    advice=Text(
        zh="把 SDK 初始化移到用户同意隐私政策之后（同意弹窗的确认回调中，以及之后每次冷启动时先判断已同意）；"
        "启动阶段只调用 SDK 的合规预初始化接口（如友盟 UMConfigure.preInit、极光 JCollectionAuth.setAuth(false)），"
        "并按 SDK 合规指南在同意后通知 SDK。",
        en="Move the SDK's initialisation after the user accepts the privacy policy (in the consent dialog's "
        "accept callback, and on every later cold start only once consent is recorded); at startup call only "
        "the SDK's compliant pre-init (e.g. Umeng UMConfigure.preInit, JPush JCollectionAuth.setAuth(false)) "
        "and tell the SDK about consent afterwards as its compliance guide says.",
    ),
    severity=Severity.high,
    confidence="medium",
    legal_basis=[RD_3_1, RD_5_1, PIPL_13, PIPL_14, M164_COLLECT],
)
def sdk_init_before_consent(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Reports every catalogued SDK whose initialisation API (`init_api` in the SDK catalogue) is
    reachable, unconditionally, from the startup entry points, when the SDK's consent API is not
    called at startup either (`Facts.startup.sdk_inits` with `gated: false`).

    ## Why is this bad?
    This is the violation MIIT notices name most often: "SDK 在用户同意隐私政策前收集个人信息".
    Collection before consent breaks 认定方法 三、1, and an embedded SDK collecting without consent
    is providing PI to a third party without consent (五、1).

    ## Example
    `Application.onCreate()` calls `UMConfigure.init(...)` directly.

    ## References
    - 《App违法违规收集使用个人信息行为认定方法》三、1; 五、1
    - PIPL 第十三条、第十四条
    """
    if facts.startup is None:
        return
    for init in facts.startup.sdk_inits:
        if init.gated:
            continue
        zh, en = _sdk_name(facts, f"sdk:{init.sdk}")
        yield sdk_init_before_consent.finding(
            message=Text(
                zh=f"{zh} 在启动阶段（{init.entry}）被初始化，且未先调用其隐私合规接口。",
                en=f"{en} is initialised at startup ({init.entry}) without its consent API being called first.",
            ),
            evidence=[
                Evidence(kind="call_site", api=init.api, caller=init.chain[-1], value=_chain(init.chain))
            ],
            owner=f"sdk:{init.sdk}",
        )


def _startup_groups(facts: Facts, *, conditional: bool) -> list[tuple[str, list[StartupCollection], str]]:
    """(owner, its startup call sites, their PI types joined) for the (un)conditional ones."""
    if facts.startup is None:
        return []
    groups: dict[str, list[StartupCollection]] = defaultdict(list)
    for c in facts.startup.collection:
        if c.conditional == conditional:
            groups[c.owner].append(c)
    return [(o, items, ", ".join(sorted({c.pi_type for c in items}))) for o, items in sorted(groups.items())]


def _collection_evidence(items: list[StartupCollection]) -> list[Evidence]:
    return [
        Evidence(kind="call_site", api=c.api, caller=c.caller, owner=c.owner, value=_chain(c.chain))
        for c in items
    ]


@rule(
    id="HG-SDK-002",
    family="SDK",
    title=Text(
        zh="启动阶段即收集个人信息（同意隐私政策前）", en="Personal information collected before consent"
    ),
    description=Text(
        zh="在任何界面出现之前运行的代码无条件地调用了获取个人信息的接口（调用链见证据）。"
        "此时用户无法看到隐私政策，更谈不上同意，属于征得同意前收集个人信息。",
        en="Code that runs before any UI unconditionally calls APIs that read personal information (call "
        "chains in the evidence). The user cannot have seen the privacy policy yet, let alone agreed: this "
        "is collection before consent.",
    ),
    advice=Text(
        zh="将这些调用移到用户同意隐私政策之后；启动阶段不要读取设备标识、位置、应用列表等信息。"
        "若调用来自第三方 SDK，按该 SDK 的合规指南延迟初始化。",
        en="Move these calls after the user accepts the privacy policy; at startup do not read device "
        "identifiers, location, the app list or similar. When the call is in a third-party SDK, defer the "
        "SDK's initialisation as its compliance guide says.",
    ),
    severity=Severity.high,
    confidence="medium",
    legal_basis=[RD_3_1, PIPL_13, PIPL_14, M164_COLLECT],
)
def collection_before_consent(facts: Facts) -> Iterator[Finding]:
    """## What it does
    One finding per owner (the app, or each SDK / third-party package) of the sensitive call
    sites reachable from the startup entry points without any branch on the way
    (`Facts.startup.collection` with `conditional: false`).

    ## Why is this bad?
    认定方法 三、1: "征得用户同意前就开始收集个人信息". Dynamic tests catch this by watching API
    calls before the consent dialog is answered; statically, the call chain from
    `Application.onCreate` or a `ContentProvider.onCreate` shows it.

    ## Example
    `ContentProvider.onCreate()` → `DeviceInfo.collect()` → `TelephonyManager.getDeviceId()`.

    ## References
    - 认定方法 三、1; PIPL 第十三条、第十四条
    """
    for owner, items, types in _startup_groups(facts, conditional=False):
        who_zh, who_en = ("应用自身代码", "the app's own code") if owner == "app" else _sdk_name(facts, owner)
        yield collection_before_consent.finding(
            message=Text(
                zh=f"{who_zh}在启动阶段获取 {types}（{len(items)} 处调用）。",
                en=f"{who_en} reads {types} at startup ({len(items)} call site(s)).",
            ),
            evidence=_collection_evidence(items),
            owner=owner,
        )


@rule(
    id="HG-SDK-003",
    family="SDK",
    title=Text(
        zh="启动阶段可能收集个人信息（有条件，需确认）", en="Personal information may be collected at startup"
    ),
    description=Text(
        zh="启动阶段的代码在某个条件分支内调用了获取个人信息的接口。若该条件是“用户已同意隐私政策”，则合规；"
        "否则属于同意前收集。静态分析只能看到分支，无法判断条件的含义，需要人工确认。",
        en="Startup code calls APIs that read personal information inside a conditional branch. If the "
        "condition is 'the user has accepted the privacy policy' this is fine; otherwise it is collection "
        "before consent. Static analysis sees the branch, not its meaning: a person must confirm.",
    ),
    advice=Text(
        zh="确认这些调用只在用户同意隐私政策之后执行（例如以持久化的同意标记作为条件），并在检测材料中说明。",
        en="Confirm these calls run only after the user accepts the privacy policy (e.g. behind a stored "
        "consent flag) and say so in the test submission.",
    ),
    severity=Severity.medium,
    confidence="low",
    judgement="assisted",
    legal_basis=[RD_3_1, PIPL_13],
)
def conditional_collection_at_startup(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Like HG-SDK-002, for call sites reachable from startup only through a conditional branch
    (`conditional: true`). Assisted: a reviewer checks what the condition tests.

    ## Why is this bad?
    Gating on consent is the correct pattern, but a branch on anything else (a feature flag, a
    network state) still collects before consent.

    ## Example
    `if (prefs.getBoolean("privacy_agreed")) Tracker.start()` is fine; `if (isWifi()) ...` is not.

    ## References
    - 认定方法 三、1
    """
    for owner, items, types in _startup_groups(facts, conditional=True):
        yield conditional_collection_at_startup.finding(
            message=Text(
                zh=f"启动阶段的条件分支中获取 {types}（{len(items)} 处，归属 {owner}）。",
                en=f"Startup code reads {types} behind a condition ({len(items)} call site(s), {owner}).",
            ),
            evidence=_collection_evidence(items),
            owner=owner,
        )


@rule(
    id="HG-SDK-004",
    family="SDK",
    title=Text(
        zh="未识别的第三方代码获取个人信息", en="Unidentified third-party code reaches personal information"
    ),
    description=Text(
        zh="应用包名之外、且不在 hegui SDK 目录中的代码包调用了获取个人信息的接口。"
        "运营者须在第三方共享清单中列明每个嵌入的 SDK 及其收集的个人信息。",
        en="Code outside the app's namespace, matching no SDK in hegui's catalogue, calls APIs that read "
        "personal information. The operator must list every embedded SDK and what it collects in the "
        "third-party sharing list.",
    ),
    advice=Text(
        zh="确认该代码包属于哪个 SDK 或组件，在隐私政策的第三方 SDK 清单中列明其名称、提供方、收集的个人信息和目的；"
        "若是自有代码，可忽略。",
        en="Find out which SDK or component the package belongs to and list it (name, provider, PI collected, "
        "purpose) in the privacy policy's third-party SDK list; if it is your own code, ignore this.",
    ),
    severity=Severity.info,
    confidence="medium",
    judgement="assisted",
    legal_basis=[RD_5_1, APP_6_1],
)
def unidentified_third_party(facts: Facts) -> Iterator[Finding]:
    """## What it does
    One finding per `Facts.third_party_packages` entry: a package prefix outside the app's
    namespace that matches no catalogued SDK but reaches PI. It is how the catalogue grows.

    ## Why is this bad?
    The 双清单 must name every embedded SDK; unidentified code is the usual source of omissions.

    ## Example
    `com.example.sdk.Tracker` calls `TelephonyManager.getImei()`.

    ## References
    - 认定方法 五、1; GB/T 41391-2022 6.1
    """
    for pkg in facts.third_party_packages:
        yield unidentified_third_party.finding(
            message=Text(
                zh=f"代码包 {pkg.package} 获取 {', '.join(pkg.pi_reached)}（{pkg.call_sites} 处调用）。",
                en=f"Package {pkg.package} reaches {', '.join(pkg.pi_reached)} ({pkg.call_sites} call site(s)).",
            ),
            evidence=[Evidence(kind="call_site", owner=f"third-party:{pkg.package}", value=pkg.package)],
            owner=f"third-party:{pkg.package}",
        )


# -- HG-SDK-005: shake-to-open (摇一摇跳转) ----------------------------------------------------
SENSOR_LISTENER_APIS = "sensor_manager.register"  # api_id prefix: the registerListener overloads


def _ad_sdk_names(facts: Facts) -> dict[str, tuple[str, str]]:
    """sdk id -> (name zh, name en) of the catalogued advertising SDKs among the call-site owners."""
    detected = {s.id: s for s in facts.sdks}
    catalogue = sdk_catalogue()
    out: dict[str, tuple[str, str]] = {}
    for sid in {c.owner.partition(":")[2] for c in facts.call_sites if c.owner.startswith("sdk:")}:
        if sid in detected:
            if detected[sid].category == "ads":
                out[sid] = (detected[sid].name_zh, detected[sid].name_en)
        elif sid in catalogue and catalogue[sid].category == "ads":
            out[sid] = (catalogue[sid].name.zh, catalogue[sid].name.en)
    return out


@rule(
    id="HG-SDK-005",
    family="SDK",
    title=Text(
        zh="广告 SDK 监听运动传感器（疑似“摇一摇”跳转）",
        en="Ad SDK listens to motion sensors (shake-to-open)",
    ),
    description=Text(
        zh="广告类第三方 SDK 在其自身代码中注册了传感器监听（SensorManager.registerListener）。开屏、插屏等广告"
        "常以“摇一摇”“扭一扭”的方式触发跳转：用户拿起手机、走路或乘车时的晃动即可被判定为“摇动”，"
        "在用户无意点击的情况下打开广告落地页、第三方应用或下载页面，属于欺骗误导用户跳转的典型场景；"
        "同时，SDK 持续读取传感器数据也需要在隐私政策中说明。",
        en="A third-party advertising SDK registers a sensor listener (SensorManager.registerListener) from its "
        "own code. Splash and interstitial ads often open on a 'shake' or 'twist': ordinary movement - picking "
        "the phone up, walking, riding a bus - counts as a shake and opens the ad's landing page, another app or "
        "a download without the user meaning to tap anything, the textbook case of misleading users into a jump. "
        "The SDK reading sensor data also has to be disclosed in the privacy policy.",
    ),
    advice=Text(
        zh="确认该广告 SDK 是否启用了摇一摇、扭一扭等靠设备晃动触发跳转的广告交互；如启用，应在 SDK 后台或初始化配置中关闭，"
        "或确保触发阈值足够高、界面明确提示且跳转前经用户确认。在隐私政策的第三方 SDK 清单中说明该 SDK 读取传感器信息及其目的。",
        en="Check whether the ad SDK has shake or twist interactions that open ads on device movement enabled; if so, "
        "turn them off in the SDK's console or initialisation options, or make sure the trigger threshold is high, the "
        "screen says clearly what shaking does and the user confirms before any jump. List the SDK's sensor access and "
        "its purpose in the privacy policy's third-party SDK list.",
    ),
    severity=Severity.medium,
    confidence="medium",
    judgement="assisted",
    legal_basis=[C2021_SPLASH, M164_MISLEAD_DOWNLOAD],
    references=[
        "https://developer.android.com/reference/android/hardware/SensorManager#registerListener(android.hardware.SensorEventListener,%20android.hardware.Sensor,%20int)",
        "https://developer.android.com/develop/sensors-and-location/sensors/sensors_motion",
    ],
)
def ad_sdk_shake(facts: Facts) -> Iterator[Finding]:
    """## What it does
    One finding per catalogued SDK of category `ads` (in the SDK catalogue, see
    `knowledge/data/sdks/*.yaml`) that owns call sites of `SensorManager.registerListener` (any
    overload: `api_id` `sensor_manager.register*`), with those call sites as evidence. Sensors
    registered from the app's own code, from non-advertising SDKs, or from unidentified
    third-party packages (however "ad-like" their package name) are not reported. Assisted: the
    SDK may register sensors for another purpose, and whether shake-to-open is switched on is a
    server or initialisation setting hegui cannot see.

    ## Why is this bad?
    MIIT's 2021 campaign against splash-screen pop-ups targets ads that trick users into
    jumping to third-party pages; "shake to open" turns everyday movement into an ad click. It
    belongs to 164号文's "欺骗误导用户" problems, and MIIT has singled out shake-triggered jumps
    since. The sensor reading itself is collection the privacy policy must cover.

    ## Example
    `com.qq.e.ads.splash.SplashShake.start()` calls
    `SensorManager.registerListener(this, accelerometer, SENSOR_DELAY_UI)` while the splash ad
    shows.

    ## References
    - 工信部 2021 年专项整治：应用软件启动弹窗欺骗误导用户
    - 164号文：欺骗误导用户下载APP
    - Android: SensorManager.registerListener; motion sensors
    """
    ads = _ad_sdk_names(facts)
    if not ads:
        return
    groups: dict[str, list[CallSite]] = defaultdict(list)
    for c in facts.call_sites:
        sid = c.owner.partition(":")[2]
        if c.owner.startswith("sdk:") and sid in ads and c.api_id.startswith(SENSOR_LISTENER_APIS):
            groups[sid].append(c)
    for sid, sites in sorted(groups.items()):
        zh, en = ads[sid]
        yield ad_sdk_shake.finding(
            message=Text(
                zh=f"广告 SDK「{zh}」在其代码中注册了传感器监听（{len(sites)} 处），可能用于“摇一摇”等晃动触发的广告跳转。",
                en=f"The ad SDK {en} registers sensor listeners in its own code ({len(sites)} call site(s)), "
                "possibly for shake-to-open ads.",
            ),
            evidence=ev.call_sites(sites),
            owner=f"sdk:{sid}",
        )
