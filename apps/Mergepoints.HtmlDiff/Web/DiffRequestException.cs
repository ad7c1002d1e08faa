namespace Mergepoints.HtmlDiff.Web;

/// <summary>A request the app cannot diff: its status (400, 413, 415) and the one line that says why.</summary>
internal sealed class DiffRequestException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
