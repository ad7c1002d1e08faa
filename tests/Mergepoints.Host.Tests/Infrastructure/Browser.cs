using System.Net;
using System.Text.RegularExpressions;

namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>
/// What a person's browser does with the account pages: keeps cookies, fetches a form, sends it back with
/// its antiforgery token, and does not follow redirects (the tests look at them).
/// </summary>
public sealed partial class Browser : IDisposable
{
    public Browser(Uri site)
    {
        Client = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = site };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Client { get; }

    /// <summary>Fetches the form at <paramref name="path"/> and posts <paramref name="fields"/> back to it with the token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, params (string Name, string Value)[] fields)
    {
        var cancel = TestContext.Current.CancellationToken;
        var form = await Client.GetStringAsync(path, cancel);
        var token = TokenOf(form, path);
        var action = path.Split('?')[0];
        return await Client.PostAsync(action, new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]), cancel);
    }

    public Task<HttpResponseMessage> RegisterAsync(string name, string password, string returnUrl = "/") =>
        SubmitAsync("/account/register", ("username", name), ("password", password), ("returnUrl", returnUrl));

    public Task<HttpResponseMessage> LogInAsync(string name, string password, string returnUrl = "/") =>
        SubmitAsync("/account/login", ("username", name), ("password", password), ("returnUrl", returnUrl));

    /// <summary>The session cookie this browser holds for <paramref name="site"/>.</summary>
    public Cookie Session(Uri site) => Cookies.GetCookies(site)["mergepoints_session"] ?? throw new InvalidOperationException("No session cookie.");

    /// <summary>Hands this browser <paramref name="session"/>, as if it had signed in on another instance.</summary>
    public Browser WithSession(Uri site, Cookie session)
    {
        Cookies.Add(site, new Cookie(session.Name, session.Value));
        return this;
    }

    /// <summary>The antiforgery token in the form on <paramref name="page"/> (fetched from <paramref name="path"/>).</summary>
    public static string TokenOf(string page, string path) =>
        TokenField().Match(page) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"{path} has no antiforgery token: {page}");

    public Task<string> WhoAmIAsync() => Client.GetStringAsync("/_mergepoints/whoami", TestContext.Current.CancellationToken);

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
