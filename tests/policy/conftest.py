"""Synthetic policies written for these tests (our own wording, never copied from real policies)."""

from __future__ import annotations

SAMPLE_TEXT = """示例科技有限公司隐私政策
更新日期：2024年1月1日
生效日期：2024年1月2日

一、我们如何收集和使用您的个人信息
1. 注册时，我们需要您提供手机号码，用于创建账号。
2. 为保障账号安全，我们会收集您的设备型号、操作系统版本、IMEI、OAID 和 Android ID。
3. 当您使用附近门店功能时，我们会申请位置权限，获取您的精确位置，用于推荐附近门店。
4. 我们不会收集您的通讯录，也不会读取您的剪贴板。
5. 当您扫码时，我们会请求相机权限，用于识别二维码。

二、第三方 SDK
我们接入了友盟+SDK，用于统计分析。

三、您的权利
您可以在“设置-账号”中查阅、更正、删除您的个人信息，也可以注销账号或撤回授权同意。
联系我们：privacy@example.com，我们将在十五个工作日内答复。
"""

SAMPLE_MD = """# 示例应用隐私政策

## 第三方SDK目录

| SDK名称 | 使用目的 | 收集的个人信息 | 第三方公司 |
|---|---|---|---|
| 极光推送SDK | 推送消息 | 设备标识符、网络信息 | 深圳市和讯华谷信息技术有限公司 |
| 示例地图SDK | 定位 | 位置信息、WLAN信息 | 示例地图有限公司 |

## 其他

我们不会收集您的短信内容。
"""

SAMPLE_HTML = """<!DOCTYPE html><html><head><title>x</title><style>p{color:red}</style>
<script>var imei = 1;</script></head><body>
<h1>示例隐私政策</h1>
<h2>一、收集的信息</h2>
<p>我们会收集您的<b>IP 地址</b>和设备型号，用于保障网络安全。</p>
<table><tr><th>SDK名称</th><th>使用目的</th><th>个人信息</th></tr>
<tr><td>个推SDK</td><td>消息推送</td><td>设备识别码、已安装应用列表</td></tr></table>
<pre>Apkid:com.example
==========
## 三、联系我们
电话：010-12345678</pre>
</body></html>"""
