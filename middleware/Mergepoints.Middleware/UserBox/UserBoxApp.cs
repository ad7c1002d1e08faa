using System.Text;
using System.Text.Json;
using Mergepoints.Owin.Contract;

namespace Mergepoints.Middleware.UserBox;

/// <summary>
/// <c>/_mergepoints</c>: who is signed in, as JSON (<c>whoami</c>), and a small script (<c>userbox.js</c>) any page
/// includes to show "signed in as NAME · log out" or "log in · register", so every mounted app gets the same
/// user box without anyone rewriting its HTML.
/// </summary>
public static class UserBoxApp
{
    /// <summary>The app; <paramref name="accountPath"/> is where the accounts are mounted, such as <c>/account</c>.</summary>
    public static AppFunc Create(string accountPath) => env =>
    {
        var owin = new OwinContext(env);
        // Who is signed in changes at any moment; the script only when the host is upgraded.
        owin.ResponseHeaders["Cache-Control"] = [owin.RequestPath == "/userbox.js" ? "public, max-age=300" : "no-store"];
        return owin.RequestPath switch
        {
            "/whoami" => RespondAsync(owin, "application/json; charset=utf-8", WhoAmI(owin)),
            "/userbox.js" => RespondAsync(owin, "text/javascript; charset=utf-8", Script((env.TryGetValue(OwinKeys.SiteBase, out var b) ? b as string : null) + accountPath)),
            _ => owin.RespondTextAsync(404, "Not found.\n"),
        };
    };

    private static string WhoAmI(OwinContext owin) => owin.User.Identity is { IsAuthenticated: true, Name: { } name }
        ? JsonSerializer.Serialize(new { name, admin = owin.User.IsInRole("admin") })
        : """{"anonymous":true}""";

    private static Task RespondAsync(OwinContext owin, string contentType, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        owin.ResponseHeaders["Content-Type"] = [contentType];
        owin.ResponseHeaders["Content-Length"] = [bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        return owin.ResponseBody.WriteAsync(bytes, owin.CallCancelled).AsTask();
    }

    // The script learns the site's root from its own URL, so it works under any prefix nginx adds.
    private static string Script(string account) => $$"""
        (function () {
          var script = document.currentScript;
          var root = script.src.replace(/\/_mergepoints\/userbox\.js.*$/, "");
          var account = {{JsonSerializer.Serialize(account)}};
          var here = encodeURIComponent(location.pathname + location.search);
          var box = document.createElement("div");
          box.id = "mergepoints-userbox";
          box.style.cssText = "position:fixed;top:.5rem;right:.5rem;z-index:2147483647;font:14px/1.4 system-ui,sans-serif;background:#fff;color:#222;border:1px solid #ccc;border-radius:6px;padding:.3rem .7rem;box-shadow:0 1px 3px rgba(0,0,0,.15)";
          function link(href, text) { var a = document.createElement("a"); a.href = href; a.textContent = text; return a; }
          fetch(root + "/_mergepoints/whoami", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (me) {
            if (me.anonymous) {
              box.append(link(account + "/login?returnUrl=" + here, "log in"), " · ", link(account + "/register?returnUrl=" + here, "register"));
            } else {
              var name = document.createElement("strong"); name.textContent = me.name;
              box.append("signed in as ", name, " · ", link(account + "/logout", "log out"));
            }
            document.body.appendChild(box);
          });
        })();
        """;
}
