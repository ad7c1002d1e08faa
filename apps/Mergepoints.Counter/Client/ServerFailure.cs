using System.Net;

namespace Mergepoints.Counter.Client;

/// <summary>One server that failed a request sent to every server.</summary>
/// <param name="Server">Its base URL.</param>
/// <param name="StatusCode">The status it answered with; null when no answer came.</param>
/// <param name="Reason">Its one-line reason, or what went wrong on the way.</param>
public sealed record ServerFailure(Uri Server, HttpStatusCode? StatusCode, string Reason);
