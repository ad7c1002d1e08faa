using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace Mergepoints.Admin.Web;

/// <summary>
/// <c>admin.css</c>, embedded in the assembly and served by StaticFiles at <c>/assets/admin.css</c> (ETag,
/// Last-Modified). Pages link it with <c>?v=</c> and a hash of its bytes, so a browser keeps it for a year and
/// still gets the new one the moment an upgrade changes it.
/// </summary>
internal sealed class AdminStylesheet
{
    private const string Folder = "/assets";
    private const string Name = "admin.css";
    private readonly ManifestEmbeddedFileProvider _files = new(typeof(AdminStylesheet).Assembly, "Web/Assets");
    private readonly string _version;

    public AdminStylesheet()
    {
        using var stream = _files.GetFileInfo(Name).CreateReadStream();
        _version = Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
    }

    /// <summary>Its address below the admin's path base.</summary>
    public string Href => $"{Folder}/{Name}?v={_version}";

    public void Use(WebApplication app) => app.UseStaticFiles(new StaticFileOptions
    {
        FileProvider = _files,
        RequestPath = Folder,
        OnPrepareResponse = served => served.Context.Response.Headers.CacheControl =
            served.Context.Request.Query["v"] == _version ? "public, max-age=31536000, immutable" : "no-cache",
    });
}
