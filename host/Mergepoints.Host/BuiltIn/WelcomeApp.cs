using System.Net;
using System.Text;
using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Mergepoints.Owin.Contract;

namespace Mergepoints.Host.BuiltIn;

/// <summary>
/// A pure OWIN page that lists what the site mounts, so a newcomer who starts the host sees where to go.
/// </summary>
public static class WelcomeApp
{
    /// <summary>Mounts the page, with the host's user box on it.</summary>
    public static Task<MountedApp> MountAsync(BuiltInAppContext context, CancellationToken cancellationToken)
    {
        AppFunc app = env =>
        {
            var owin = new OwinContext(env);
            if (owin.RequestPath is not ("" or "/"))
            {
                return owin.RespondTextAsync(404, "Not found.\n");
            }
            var siteBase = env.TryGetValue(OwinKeys.SiteBase, out var value) ? value as string ?? "" : "";
            var page = Encoding.UTF8.GetBytes(Render(context.Site, siteBase));
            owin.ResponseHeaders["Content-Type"] = ["text/html; charset=utf-8"];
            owin.ResponseHeaders["Content-Length"] = [page.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            return owin.RequestMethod == "HEAD" ? Task.CompletedTask : owin.ResponseBody.WriteAsync(page, owin.CallCancelled).AsTask();
        };
        return Task.FromResult(new MountedApp(app, "welcome (built-in page listing the mounts)"));
    }

    private static string Render(SiteConfig site, string siteBase)
    {
        var rows = new StringBuilder();
        foreach (var mount in site.Mounts)
        {
            var path = WebUtility.HtmlEncode(siteBase + mount.Path);
            rows.Append($"<tr><td><a href=\"{path}\">{path}</a></td><td>{WebUtility.HtmlEncode(Describe(mount))}</td></tr>\n");
        }
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Mergepoints</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse;width:100%}td{padding:.4rem .6rem;border-bottom:1px solid #ddd}code{background:#f4f4f4;padding:0 .2rem}</style>
            </head><body>
            <h1>Mergepoints is running</h1>
            <p>These apps are mounted under this host:</p>
            <table>
            {{rows}}</table>
            <p>Accounts: <a href="{{WebUtility.HtmlEncode(siteBase + site.AccountsPath)}}/register">register</a> ·
            <a href="{{WebUtility.HtmlEncode(siteBase + site.AccountsPath)}}/login">log in</a> · health: <a href="{{WebUtility.HtmlEncode(siteBase)}}/healthz">/healthz</a></p>
            <script src="{{WebUtility.HtmlEncode(siteBase + SiteConfig.UserBoxPath)}}/userbox.js"></script>
            </body></html>
            """;
    }

    private static string Describe(MountConfig mount) => mount switch
    {
        AppMountConfig app => $"built-in app {app.App}",
        AssemblyMountConfig => "an app of its own (assembly)",
        ProxyMountConfig => "a service behind the host's proxy",
        StaticMountConfig files => "static files",
        _ => mount.GetType().Name,
    };
}
