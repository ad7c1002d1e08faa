using System.Security.Cryptography;

namespace Mergepoints.HtmlDiff.Web;

/// <summary>
/// The page's one stylesheet, embedded in the assembly so the app needs no files beside it. Its URL carries a
/// hash of its content, so browsers may keep it for good and still see a new version the moment it ships.
/// </summary>
internal static class DiffStylesheet
{
    public const string Path = "/diff.css";

    public static byte[] Bytes { get; } = Load();

    public static string Version { get; } = Convert.ToHexStringLower(SHA256.HashData(Bytes))[..16];

    public static string ETag { get; } = $"\"{Version}\"";

    /// <summary>The stylesheet's URL below the app's mount, such as <c>/diff/diff.css?v=…</c>.</summary>
    public static string Url(string pathBase) => $"{pathBase}{Path}?v={Version}";

    private static byte[] Load()
    {
        using var resource = typeof(DiffStylesheet).Assembly.GetManifestResourceStream("Mergepoints.HtmlDiff.Web.diff.css")
            ?? throw new InvalidOperationException("The stylesheet diff.css is not embedded in the assembly.");
        using var bytes = new MemoryStream();
        resource.CopyTo(bytes);
        return bytes.ToArray();
    }
}
