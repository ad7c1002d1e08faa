using System.Text;

namespace Mergepoints.HtmlDiff.Web;

/// <summary>Bytes a client sent as the text of a document.</summary>
internal static class FormText
{
    /// <summary>
    /// The bytes as UTF-8, without a byte order mark: browsers post forms in the page's encoding (UTF-8), and an
    /// HTML file saved with a BOM would otherwise diff as a change at its very start.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes);
}
