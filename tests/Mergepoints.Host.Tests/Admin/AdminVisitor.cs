using System.Net;
using System.Text.RegularExpressions;
using Mergepoints.Host.Tests.Infrastructure;

namespace Mergepoints.Host.Tests.Admin;

/// <summary>
/// A person at the admin pages: a <see cref="Browser"/> (cookies kept, redirects not followed) that signs in, reads
/// pages, and presses a page's buttons as the page would send them, antiforgery token and all.
/// </summary>
public sealed partial class AdminVisitor(Uri site, string mount = "/admin") : IDisposable
{
    public Browser Browser { get; } = new(site);

    public HttpClient Client => Browser.Client;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The admin's own path: <c>/users</c> at <c>/admin</c> is <c>/admin/users</c>.</summary>
    public string Path(string path) => mount + path;

    public async Task SignInAsync(string name)
    {
        using var response = await Browser.LogInAsync(name, AdminTestSite.Password, Path("/"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(Path(path), Cancel);

    /// <summary>A page that must answer 200.</summary>
    public async Task<string> PageAsync(string path)
    {
        using var response = await GetAsync(path);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>
    /// Presses the button on <paramref name="pagePath"/> whose form posts to <paramref name="action"/> (which must be
    /// on the page), sending its token, its <c>back</c> field and <paramref name="fields"/>.
    /// </summary>
    public async Task<HttpResponseMessage> PressAsync(string pagePath, string action, params (string Name, string Value)[] fields)
    {
        var page = await PageAsync(pagePath);
        Assert.Contains($"action=\"{Path(action)}\"", page, StringComparison.Ordinal);
        return await PostAsync(action, Browser.TokenOf(page, pagePath), [("back", BackOf(page, action) ?? Path(pagePath)), .. fields]);
    }

    /// <summary>A POST as a page sends it; <paramref name="token"/> null sends none.</summary>
    public Task<HttpResponseMessage> PostAsync(string action, string? token, params (string Name, string Value)[] fields) =>
        Client.PostAsync(
            Path(action),
            new FormUrlEncodedContent([.. token is null ? [] : new[] { new KeyValuePair<string, string>("__RequestVerificationToken", token) }, .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]),
            Cancel);

    /// <summary>A valid token of this visitor's, from the dashboard, for a POST that no page of theirs offers.</summary>
    public async Task<string> TokenAsync() => Browser.TokenOf(await PageAsync("/"), "/");

    public void Dispose() => Browser.Dispose();

    // The back field of the form that posts to the action, decoded as a browser would send it.
    private string? BackOf(string page, string action)
    {
        var start = page.IndexOf($"action=\"{Path(action)}\"", StringComparison.Ordinal);
        var match = BackField().Match(page, start);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("name=\"back\" value=\"([^\"]*)\"")]
    private static partial Regex BackField();
}
