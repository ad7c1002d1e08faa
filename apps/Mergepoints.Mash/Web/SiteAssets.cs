using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Mergepoints.Mash.Web;

/// <summary>
/// <c>mash.css</c> and <c>mash.js</c>, embedded in the assembly and served by StaticFiles under <c>/assets</c>
/// (ETag, Last-Modified, Range). Pages link them with <c>?v=</c> and a hash of their bytes, so the browser may keep
/// them for a year and still gets the new ones the moment an upgrade changes them.
/// </summary>
public sealed class SiteAssets
{
    private const string RequestPath = "/assets";
    private readonly ManifestEmbeddedFileProvider _files = new(typeof(SiteAssets).Assembly, "Web/Assets");
    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);

    /// <summary>Hashes the assets once, at start.</summary>
    public SiteAssets()
    {
        foreach (var file in _files.GetDirectoryContents("/"))
        {
            using var stream = file.CreateReadStream();
            _versions[file.Name] = Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
        }
    }

    /// <summary>The stylesheet's path below the app's base.</summary>
    public string Stylesheet => PathOf("mash.css");

    /// <summary>The script's path below the app's base.</summary>
    public string Script => PathOf("mash.js");

    internal void Use(WebApplication app) => app.UseStaticFiles(new StaticFileOptions
    {
        FileProvider = _files,
        RequestPath = RequestPath,
        OnPrepareResponse = served =>
        {
            var request = served.Context.Request;
            // Only the current version is immutable: an old ?v= from a cached page gets today's bytes, revalidated.
            var current = _versions.TryGetValue(served.File.Name, out var version) && request.Query["v"] == version;
            served.Context.Response.Headers.CacheControl = current ? "public, max-age=31536000, immutable" : "no-cache";
        },
    });

    private string PathOf(string name) => $"{RequestPath}/{name}?v={_versions[name]}";
}
