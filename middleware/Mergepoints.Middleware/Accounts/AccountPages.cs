using System.Net;

namespace Mergepoints.Middleware.Accounts;

/// <summary>The account pages' HTML: small, readable on a phone, and working without JavaScript.</summary>
internal static class AccountPages
{
    public static string Form(string title, string action, string returnUrl, string antiforgeryField, string antiforgeryToken, string? error, string? username, string otherLink) => Page(title, $"""
        <h1>{E(title)}</h1>
        {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
        <form method="post" action="{E(action)}">
          <input type="hidden" name="{E(antiforgeryField)}" value="{E(antiforgeryToken)}">
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          <label>User name <input name="username" autocomplete="username" required value="{E(username ?? "")}"></label>
          <label>Password <input name="password" type="password" autocomplete="{(title == "Register" ? "new-password" : "current-password")}" required></label>
          <button type="submit">{E(title)}</button>
        </form>
        <p>{otherLink}</p>
        """);

    public static string Logout(string action, string antiforgeryField, string antiforgeryToken, string name) => Page("Log out", $"""
        <h1>Log out</h1>
        <p>Signed in as <strong>{E(name)}</strong>.</p>
        <form method="post" action="{E(action)}">
          <input type="hidden" name="{E(antiforgeryField)}" value="{E(antiforgeryToken)}">
          <button type="submit">Log out</button>
        </form>
        """);

    public static string Message(string title, string text) => Page(title, $"<h1>{E(title)}</h1><p>{E(text)}</p>");

    public static string Link(string href, string text) => $"<a href=\"{E(href)}\">{E(text)}</a>";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Page(string title, string body) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}} · Mergepoints</title>
        <style>
        body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#222}
        label{display:block;margin:.8rem 0}input{display:block;width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
        button{padding:.5rem 1.2rem;font:inherit}.error{color:#a40000;background:#fdecea;padding:.5rem .8rem;border-radius:4px}
        </style></head><body>
        {{body}}
        </body></html>
        """;
}
