namespace Mergepoints.Admin.Actions;

/// <summary>
/// Something the admin cannot do as asked, with the status to answer and one line for the admin: no such record
/// (404), not on yourself (400), not in this state (409), a counter that did not answer (502). The pages show it
/// as a message page with that status.
/// </summary>
internal sealed class RefusedException(int statusCode, string message) : Exception(message)
{
    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>404, naming what was looked for.</summary>
    public static RefusedException NotFound(string what) => new(404, $"There is no {what} with this id: it may have been deleted.");
}
