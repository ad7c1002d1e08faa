using System.Net.Http.Headers;
using System.Text;
using Xunit;

namespace Mergepoints.Testing;

/// <summary>Server-sent events as they come off the socket, one at a time: each event's name and data.</summary>
public sealed class EventStreamReader : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStreamReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    /// <summary>The stream's headers.</summary>
    public HttpResponseHeaders Headers => _response.Headers;

    /// <summary>Opens the stream at <paramref name="url"/>: a 200 of type <c>text/event-stream</c>, read as it arrives.</summary>
    public static async Task<EventStreamReader> OpenAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            response.EnsureSuccessStatusCode();
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new EventStreamReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The whole stream, from a new connection to its end.</summary>
    public static async Task<IReadOnlyList<(string Event, string Data)>> ReadAllAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        using var stream = await OpenAsync(client, url, cancellationToken);
        return await stream.ReadToEndAsync(cancellationToken);
    }

    /// <summary>The next event; null once the server has ended the stream (an ending cut off midway throws).</summary>
    public async Task<(string Event, string Data)?> NextAsync(CancellationToken cancellationToken)
    {
        string name = "message", data = "";
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return (name, data);
                }
                (name, data) = ("message", "");
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data += line["data: ".Length..];
            }
        }
        return null;
    }

    /// <summary>Every event left, until the server ends the stream.</summary>
    public async Task<IReadOnlyList<(string Event, string Data)>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var events = new List<(string, string)>();
        while (await NextAsync(cancellationToken) is { } next)
        {
            events.Add(next);
        }
        return events;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
