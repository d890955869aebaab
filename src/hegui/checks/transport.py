"""Transport rules (HG-NET-003..005): TLS checks the code switches off.

They read ``Facts.tls`` (overridden TrustManagers, HostnameVerifiers and WebView SSL error handlers,
see :mod:`hegui.facts.tls`). The cleartext-endpoint rule HG-NET-006 is in :mod:`hegui.checks.cleartext`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from hegui.checks.legal import C2021_TRANSMISSION, CSL_21, CSL_42, PIPL_51, PISS_6_3
from hegui.checks.model import Evidence, Finding, Severity, Text
from hegui.checks.registry import rule
from hegui.facts.model import Facts, TlsOverride

TLS_BASIS = [PIPL_51, CSL_21, CSL_42, PISS_6_3, C2021_TRANSMISSION]
MASVS_NETWORK = "https://mas.owasp.org/MASVS/controls/MASVS-NETWORK-1/"
MASTG_TLS = "https://mas.owasp.org/MASTG/tests/android/MASVS-NETWORK/MASTG-TEST-0021/"


def _java(descriptor: str) -> str:
    """``Lcom/example/Trust$1;`` -> ``com.example.Trust$1``."""
    return (
        descriptor[1:-1].replace("/", ".")
        if descriptor.startswith("L") and descriptor.endswith(";")
        else descriptor
    )


def _who(facts: Facts, owner: str) -> Text:
    if owner == "app":
        return Text(zh="应用自身代码", en="The app's own code")
    kind, _, name = owner.partition(":")
    if kind == "sdk":
        sdk = facts.sdk_for(owner)
        if sdk is not None:
            return Text(zh=f"第三方 SDK「{sdk.name_zh}」", en=f"The third-party SDK {sdk.name_en}")
        return Text(zh=f"第三方 SDK {name}", en=f"The third-party SDK {name}")
    return Text(zh=f"第三方代码包 {name}", en=f"Third-party package {name}")


def _groups(facts: Facts, kinds: set[str], verdicts: set[str]) -> list[tuple[str, str, list[TlsOverride]]]:
    """(declaring class, owner, overrides) for the matching overrides, one group per class."""
    groups: dict[tuple[str, str], list[TlsOverride]] = defaultdict(list)
    for o in facts.tls:
        if o.kind in kinds and o.verdict in verdicts:
            groups[(o.declaring_class, o.owner)].append(o)
    return [(cls, owner, items) for (cls, owner), items in sorted(groups.items())]


def _evidence(items: list[TlsOverride]) -> list[Evidence]:
    out = []
    for o in items:
        name = o.method.partition("->")[2]
        api = o.interface if o.kind == "allow_all_verifier" else f"{o.interface}->{name}"
        out.append(
            Evidence(
                kind="call_site",
                file=o.dex,
                api=api,
                caller=o.method,
                owner=o.owner,
                value=f"{o.verdict} @{o.offset}",
            )
        )
    return out


# -- HG-NET-003 ------------------------------------------------------------------------------
@rule(
    id="HG-NET-003",
    family="NET",
    title=Text(zh="自定义 TrustManager 信任任意证书", en="TrustManager accepts every certificate"),
    description=Text(
        zh="代码中实现了 X509TrustManager（或 X509ExtendedTrustManager），其 checkServerTrusted 方法既不抛出异常、"
        "也不调用系统或其他 TrustManager 进行校验，即对任何服务器证书一律放行。使用它建立的 HTTPS 连接虽然加密，"
        "却无法确认对端身份：在公共 Wi-Fi 等环境中，攻击者用自签名证书即可冒充服务器，解密并篡改其中的个人信息。",
        en="The code implements X509TrustManager (or X509ExtendedTrustManager) with a checkServerTrusted that "
        "neither throws nor calls the platform's or another TrustManager's check: it accepts any server "
        "certificate. HTTPS connections made with it are encrypted but unauthenticated, so anyone on the "
        "network path (public Wi-Fi, a rogue access point) can impersonate the server with a self-signed "
        "certificate and read or alter the personal information sent.",
    ),
    advice=Text(
        zh="删除自定义的信任所有证书的 TrustManager，使用系统默认的证书校验；确需自定义信任（如自签名证书、证书固定）时，"
        "通过网络安全配置（network_security_config 的 trust-anchors、pin-set）实现，或在 checkServerTrusted 中先委托系统"
        " TrustManager 校验、失败时抛出 CertificateException。调试用的放行逻辑不得进入发布版本。",
        en="Remove the trust-all TrustManager and rely on the platform's certificate validation. For custom trust "
        "(self-signed servers, pinning) use the network security config (trust-anchors, pin-set), or have "
        "checkServerTrusted delegate to the platform TrustManager and throw CertificateException when it fails. "
        "Keep debugging shortcuts out of release builds.",
    ),
    severity=Severity.high,
    legal_basis=TLS_BASIS,
    references=[
        "https://developer.android.com/privacy-and-security/security-ssl",
        "https://support.google.com/faqs/answer/6346016",
        MASVS_NETWORK,
        MASTG_TLS,
    ],
)
def trust_all_manager(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Reports every class whose `checkServerTrusted` (any of the three overloads) has the verdict
    `accepts_all` in `Facts.tls`: the class has `X509TrustManager` or `X509ExtendedTrustManager`
    among its ancestors (directly, or through a class defined in the APK), and the method's body
    has no `throw` and calls nothing but logging, string building or Kotlin's parameter null
    checks. A body that throws, or that delegates to another TrustManager or calls any other
    method (such as `X509Certificate.checkValidity`) outside a try block, is not reported; a
    delegation inside a try block in a method with no `throw` is, since whatever it raised is
    caught and dropped. One finding per class.

    ## Why is this bad?
    TLS without certificate validation is encryption to whoever answers: a man in the middle
    presents any certificate and reads everything. The law requires encryption and other
    technical measures that actually protect personal information in transit; Google Play
    rejects apps with such TrustManagers for the same reason.

    ## Example
    ```smali
    .method public checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V
        return-void
    .end method
    ```

    ## References
    - PIPL 第五十一条; 网络安全法 第二十一条、第四十二条; GB/T 35273-2020 6.3
    - 工信部 2021 年专项整治：数据传输时未对敏感信息加密
    - Android: Security with network protocols; Google Play: unsafe X509TrustManager
    - OWASP MASVS-NETWORK-1
    """
    for cls, owner, items in _groups(facts, {"trust_manager"}, {"accepts_all"}):
        who = _who(facts, owner)
        yield trust_all_manager.finding(
            message=Text(
                zh=f"{who.zh}中的 {_java(cls)} 的 checkServerTrusted 不做任何证书校验，接受任意服务器证书。",
                en=f"{who.en}: checkServerTrusted of {_java(cls)} validates nothing and accepts any server "
                "certificate.",
            ),
            evidence=_evidence(items),
            owner=owner,
        )


# -- HG-NET-004 ------------------------------------------------------------------------------
@rule(
    id="HG-NET-004",
    family="NET",
    title=Text(zh="主机名校验被关闭（HostnameVerifier 恒返回 true）", en="Hostname verification disabled"),
    description=Text(
        zh="代码中实现的 HostnameVerifier.verify 在所有路径上都返回 true，或使用了 Apache HttpClient 的 "
        "ALLOW_ALL_HOSTNAME_VERIFIER / AllowAllHostnameVerifier 并将其设置为主机名校验器。这样，任何受信任 CA "
        "为任意域名签发的证书都会被接受，攻击者可用自己域名的合法证书冒充应用的服务器，窃取传输中的个人信息。",
        en="A HostnameVerifier's verify returns true on every path, or the code installs Apache HttpClient's "
        "ALLOW_ALL_HOSTNAME_VERIFIER / AllowAllHostnameVerifier. Any certificate issued by a trusted CA for any "
        "domain is then accepted, so an attacker with a valid certificate for their own domain can impersonate "
        "the app's servers and read the personal information sent to them.",
    ),
    advice=Text(
        zh="删除恒返回 true 的 HostnameVerifier 及对 ALLOW_ALL_HOSTNAME_VERIFIER 的使用，使用系统默认的主机名校验"
        "（HttpsURLConnection.getDefaultHostnameVerifier()，OkHttp 默认的 OkHostnameVerifier）；"
        "确需放宽时，只对明确的域名列表返回 true，其余委托默认校验器。",
        en="Remove the always-true HostnameVerifier and any use of ALLOW_ALL_HOSTNAME_VERIFIER; use the platform "
        "default (HttpsURLConnection.getDefaultHostnameVerifier(), OkHttp's built-in verifier). If an exception is "
        "truly needed, accept only an explicit list of host names and delegate everything else to the default.",
    ),
    severity=Severity.high,
    legal_basis=TLS_BASIS,
    references=[
        "https://developer.android.com/privacy-and-security/security-ssl",
        "https://support.google.com/faqs/answer/7188426",
        MASVS_NETWORK,
        MASTG_TLS,
    ],
)
def trust_all_hostnames(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Reports, one finding per class, `Facts.tls` entries with verdict `accepts_all` of kind
    `hostname_verifier` (a `HostnameVerifier.verify(String, SSLSession)` whose every `return`
    returns a register the method only ever sets to a non-zero constant) and of kind
    `allow_all_verifier` (a method that reads `SSLSocketFactory.ALLOW_ALL_HOSTNAME_VERIFIER` or
    `NoopHostnameVerifier.INSTANCE`, or constructs `AllowAllHostnameVerifier`, and calls
    `setHostnameVerifier`, `setDefaultHostnameVerifier`, OkHttp's `hostnameVerifier` or a
    constructor taking a verifier). A verifier that returns the result of a call (the default
    verifier, `String.equals`) is not reported.

    ## Why is this bad?
    Certificate validation proves a CA vouches for *some* name; hostname verification proves it
    is the server's name. Without it any valid certificate for any domain passes, which defeats
    TLS as surely as a trust-all TrustManager.

    ## Example
    ```smali
    .method public verify(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z
        const/4 v0, 0x1
        return v0
    .end method
    ```

    ## References
    - PIPL 第五十一条; 网络安全法 第二十一条、第四十二条; GB/T 35273-2020 6.3
    - 工信部 2021 年专项整治：数据传输时未对敏感信息加密
    - Android: Security with network protocols; Google Play: unsafe HostnameVerifier
    - OWASP MASVS-NETWORK-1
    """
    for cls, owner, items in _groups(facts, {"hostname_verifier", "allow_all_verifier"}, {"accepts_all"}):
        who = _who(facts, owner)
        if any(o.kind == "hostname_verifier" for o in items):
            zh = f"{who.zh}中的 {_java(cls)} 实现的 HostnameVerifier.verify 恒返回 true，不校验主机名。"
            en = f"{who.en}: {_java(cls)} implements HostnameVerifier.verify to return true for every host."
        else:
            zh = f"{who.zh}中的 {_java(cls)} 设置了允许任意主机名的校验器（ALLOW_ALL_HOSTNAME_VERIFIER）。"
            en = f"{who.en}: {_java(cls)} installs an allow-all hostname verifier (ALLOW_ALL_HOSTNAME_VERIFIER)."
        yield trust_all_hostnames.finding(message=Text(zh=zh, en=en), evidence=_evidence(items), owner=owner)


# -- HG-NET-005 ------------------------------------------------------------------------------
@rule(
    id="HG-NET-005",
    family="NET",
    title=Text(zh="WebView 忽略 SSL 证书错误继续加载", en="WebView proceeds despite SSL errors"),
    description=Text(
        zh="WebViewClient 子类重写了 onReceivedSslError，并在其中调用 SslErrorHandler.proceed()，"
        "即证书无效（自签名、过期、域名不符）时仍继续加载页面。页面中的登录、表单等个人信息可能被中间人截获或篡改。",
        en="A WebViewClient subclass overrides onReceivedSslError and calls SslErrorHandler.proceed(): pages "
        "keep loading when the certificate is invalid (self-signed, expired, wrong host), so logins and forms in "
        "them can be intercepted or altered by a man in the middle.",
    ),
    advice=Text(
        zh="在 onReceivedSslError 中调用 handler.cancel()（或不重写该方法，默认即取消加载）；"
        "如需兼容测试环境，只在调试版本中放行，并确保发布版本不包含该逻辑。",
        en="Call handler.cancel() in onReceivedSslError (or do not override it: the default cancels). If a test "
        "environment needs an exception, allow it in debug builds only and make sure release builds do not "
        "contain it.",
    ),
    severity=Severity.high,
    legal_basis=TLS_BASIS,
    references=[
        "https://developer.android.com/reference/android/webkit/WebViewClient#onReceivedSslError(android.webkit.WebView,%20android.webkit.SslErrorHandler,%20android.net.http.SslError)",
        "https://support.google.com/faqs/answer/7071387",
        MASVS_NETWORK,
    ],
)
def webview_ssl_proceed(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Reports every `WebViewClient` subclass whose `onReceivedSslError(WebView, SslErrorHandler,
    SslError)` calls `SslErrorHandler.proceed()` (`Facts.tls`, kind `webview_ssl_error`). When
    the same method also calls `cancel()` or the superclass implementation (which cancels), the
    verdict is `conditional`: the finding says so and its confidence drops to medium, since the
    branch may only be taken in debug builds.

    ## Why is this bad?
    `proceed()` tells the WebView to ignore the certificate problem. Whatever the page sends
    (logins, forms, cookies) then goes to whoever intercepted the connection.

    ## Example
    ```java
    public void onReceivedSslError(WebView view, SslErrorHandler handler, SslError error) {
        handler.proceed();
    }
    ```

    ## References
    - PIPL 第五十一条; 网络安全法 第二十一条、第四十二条; GB/T 35273-2020 6.3
    - 工信部 2021 年专项整治：数据传输时未对敏感信息加密
    - Android: WebViewClient.onReceivedSslError; Google Play: unsafe SSL error handler
    - OWASP MASVS-NETWORK-1
    """
    for cls, owner, items in _groups(facts, {"webview_ssl_error"}, {"proceeds", "conditional"}):
        who = _who(facts, owner)
        conditional = all(o.verdict == "conditional" for o in items)
        if conditional:
            zh = (
                f"{who.zh}中的 {_java(cls)} 在 onReceivedSslError 的某个分支中调用 proceed()、另一分支取消加载"
                "（有条件放行，需确认发布版本不会走到放行分支）。"
            )
            en = (
                f"{who.en}: {_java(cls)} calls proceed() in onReceivedSslError on one branch and cancels on another "
                "(conditional: check that release builds never take the proceed branch)."
            )
        else:
            zh = f"{who.zh}中的 {_java(cls)} 在 onReceivedSslError 中调用 proceed()，忽略证书错误继续加载。"
            en = f"{who.en}: {_java(cls)} calls proceed() in onReceivedSslError and loads despite certificate errors."
        yield webview_ssl_proceed.finding(
            message=Text(zh=zh, en=en),
            evidence=_evidence(items),
            owner=owner,
            confidence="medium" if conditional else "high",
        )
