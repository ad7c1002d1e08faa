namespace Mergepoints.Counter.Client;

/// <summary>
/// Which server owns a song, by rendezvous (highest random weight) hashing: every server scores the song and the
/// highest score wins. A new server takes only the songs it now outscores the old owner on, about 1/n of them, all
/// from the others; a removed server gives up only its own songs. No ring and no virtual nodes: n hashes per lookup
/// cost nothing next to the HTTP round trip, for the handful of servers a counter runs on.
/// </summary>
/// <remarks>
/// A server's identity is its normalized base URL, so every client must list the same URLs (in any order) to
/// agree on the placement.
/// </remarks>
internal sealed class RendezvousPlacement
{
    private readonly (Uri Server, ulong Key)[] _servers;

    /// <param name="servers">Normalized and distinct (see <see cref="ServerAddress"/>).</param>
    public RendezvousPlacement(IEnumerable<Uri> servers) =>
        // Sorted, so that the (2^-64 likely) tie goes to the same server whatever order the list came in.
        _servers = servers
            .Select(server => (server, StableHash.Of(server.AbsoluteUri)))
            .OrderBy(entry => entry.Item1.AbsoluteUri, StringComparer.Ordinal)
            .ToArray();

    /// <summary>The server that owns <paramref name="songId"/>.</summary>
    public Uri OwnerOf(string songId)
    {
        var song = StableHash.Of(songId);
        var owner = _servers[0].Server;
        var best = Score(_servers[0].Key, song);
        foreach (var (server, key) in _servers.AsSpan(1))
        {
            var score = Score(key, song);
            if (score > best)
            {
                (owner, best) = (server, score);
            }
        }
        return owner;
    }

    // Both halves are already mixed; mixing their XOR again makes each server's scores an independent-looking
    // permutation of the songs.
    private static ulong Score(ulong server, ulong song) => StableHash.Mix(server ^ song);
}
