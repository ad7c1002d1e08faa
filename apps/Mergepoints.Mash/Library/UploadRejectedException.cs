namespace Mergepoints.Mash.Library;

/// <summary>
/// An upload the library will not keep, with the HTTP status that says why (413 too large, 415 not audio, 422 audio
/// that cannot be read, 503 a format that needs ffmpeg where it is not installed) and a message for the person who
/// sent it. Nothing of the upload is stored when this is thrown.
/// </summary>
public sealed class UploadRejectedException(int statusCode, string message) : Exception(message)
{
    /// <summary>The status to answer with.</summary>
    public int StatusCode { get; } = statusCode;
}
