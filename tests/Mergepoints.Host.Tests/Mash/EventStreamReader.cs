using System.Text;

namespace Mergepoints.Host.Tests.Mash;

/// <summary>Server-sent events as they come off the socket: each event's name and data, until the stream ends.</summary>
public static class EventStreamReader
{
    public static async Task<IReadOnlyList<(string Event, string Data)>> ReadAllAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        var events = new List<(string, string)>();
        string name = "message", data = "";
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    events.Add((name, data));
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
        return events;
    }
}
