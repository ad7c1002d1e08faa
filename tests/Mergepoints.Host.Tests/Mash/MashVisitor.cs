using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Mergepoints.Host.Tests.Infrastructure;

namespace Mergepoints.Host.Tests.Mash;

/// <summary>
/// A person on the MonsterMash site: a <see cref="Browser"/> (cookies, no redirects followed) that fetches the
/// page a form is on and sends the form back as the page would, multipart with its antiforgery token first.
/// </summary>
public sealed partial class MashVisitor(Uri site, string mount = "") : IDisposable
{
    public Browser Browser { get; } = new(site);

    public HttpClient Client => Browser.Client;

    /// <summary>The app's own path: <c>/mashes</c> under <c>/mm</c> is <c>/mm/mashes</c>.</summary>
    public string Path(string path) => mount + path;

    /// <summary>A new visitor of <paramref name="site"/>, registered (and so signed in) as <paramref name="name"/>.</summary>
    public static async Task<MashVisitor> SignedUpAsync(Infrastructure.RunningSite site, string name)
    {
        var visitor = new MashVisitor(site.Url);
        await visitor.SignUpAsync(name);
        return visitor;
    }

    public async Task SignUpAsync(string name)
    {
        using var response = await Browser.RegisterAsync(name, "a long enough password", Path("/"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public Task<string> GetStringAsync(string path) => Client.GetStringAsync(Path(path), TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(Path(path), TestContext.Current.CancellationToken);

    /// <summary>Sends the mash form from the home page with <paramref name="files"/> and <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> MashAsync(IEnumerable<(string Field, string FileName, byte[] Bytes)> files, params (string Name, string Value)[] fields)
    {
        var token = Browser.TokenOf(await GetStringAsync("/"), Path("/"));
        return await PostMultipartAsync("/mashes", token, files, fields);
    }

    /// <summary>Mashes two files with the form's default settings and returns the new mash's id.</summary>
    public async Task<string> MashAsync(byte[] songA, byte[] songB, params (string Name, string Value)[] fields)
    {
        using var response = await MashAsync([("fileA", "song a.wav", songA), ("fileB", "song b.wav", songB)], fields.Length > 0 ? fields : DefaultSettings);
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return MashId(response.Headers.Location!.OriginalString);
    }

    /// <summary>What the page's form sends when nobody touches the settings.</summary>
    public static (string, string)[] DefaultSettings { get; } = [("mix", "0.9"), ("mode", "smooth"), ("unit", "segment"), ("envelope", "on"), ("public", "on")];

    public async Task<HttpResponseMessage> PostMultipartAsync(string path, string? token, IEnumerable<(string Field, string FileName, byte[] Bytes)> files, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        if (token is not null)
        {
            form.Add(new StringContent(token), "__RequestVerificationToken");
        }
        foreach (var (field, fileName, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            // What a browser sends for a file input left empty: a part with an empty file name.
            content.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{field}\"", FileName = $"\"{fileName}\"" };
            form.Add(content);
        }
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return await Client.PostAsync(Path(path), form, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends the small form on <paramref name="pagePath"/> (demo, delete) back with its token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pagePath, string action)
    {
        var token = Browser.TokenOf(await GetStringAsync(pagePath), Path(pagePath));
        return await Client.PostAsync(Path(action), new FormUrlEncodedContent([new("__RequestVerificationToken", token)]), TestContext.Current.CancellationToken);
    }

    /// <summary>Polls <c>/status</c> until the mash is done or failed, as a browser without EventSource does.</summary>
    public Task<string> WaitUntilFinishedAsync(string mashId) => Mergepoints.Testing.Eventually.ReadAsync(
        () => GetStringAsync($"/mashes/{mashId}/status"),
        status => status.Contains("\"status\":\"done\"", StringComparison.Ordinal) || status.Contains("\"status\":\"failed\"", StringComparison.Ordinal),
        $"mash {mashId} finishing",
        seconds: 120);

    public static string MashId(string location) => MashLocation().Match(location) is { Success: true } match
        ? match.Groups[1].Value
        : throw new InvalidOperationException($"not a mash page: {location}");

    public void Dispose() => Browser.Dispose();

    [GeneratedRegex("/mashes/([0-9a-f]{32})$")]
    private static partial Regex MashLocation();
}
