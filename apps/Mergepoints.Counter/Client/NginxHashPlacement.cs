using System.Buffers.Binary;
using System.Text;

namespace Mergepoints.Counter.Client;

/// <summary>
/// Which server owns a song, exactly as nginx's <c>hash $key consistent</c> picks the upstream server for the same
/// key (ngx_http_upstream_hash_module: ketama, compatible with Cache::Memcached::Fast), so that nginx routing
/// <c>/api/song/{id}</c> to the shards, a <see cref="CountClient"/> and the host's counter gateway all agree.
/// </summary>
/// <remarks>
/// <para>
/// Each server is named <c>host:port</c> (<see cref="ServerName"/>), and that name is all nginx hashes: the
/// <c>server</c> lines of nginx's upstream must spell the shards exactly so (<c>server 127.0.0.1:7001;</c>,
/// <c>server [::1]:7001;</c>, the host in lower case, the port written even when it is 80), or nginx and the
/// clients place songs differently. The path of a server's URL takes no part.
/// </para>
/// <para>
/// The ring: a server's base is the running CRC-32 of its host, a zero byte and its port (split at the last ':' when
/// only digits follow it); its 160 points (weight 1) are each the finished CRC-32 continued from the base over the
/// previous point's 4 bytes, little-endian, starting from 0. Points are sorted by hash and a hash found twice is
/// kept once. A song's hash is the CRC-32 of its id's UTF-8 bytes; its owner is the server of the first point at or
/// above it, wrapping round to the first. nginx moves on to the next point when that server is down; the clients do
/// not (a play belongs to one shard, or is refused).
/// </para>
/// </remarks>
internal sealed class NginxHashPlacement
{
    private const int PointsPerServer = 160;

    private readonly uint[] _hashes;
    private readonly Uri[] _owners;

    /// <param name="servers">Normalized (see <see cref="ServerAddress"/>), each with its own <c>host:port</c>.</param>
    public NginxHashPlacement(IReadOnlyList<Uri> servers)
    {
        var points = new List<(uint Hash, int Order, Uri Server)>(servers.Count * PointsPerServer);
        for (var order = 0; order < servers.Count; order++)
        {
            foreach (var hash in Points(ServerName(servers[order])))
            {
                points.Add((hash, order, servers[order]));
            }
        }
        // nginx's qsort leaves the order of equal hashes (from two servers, about one chance in 2^32 per pair of
        // points) to the C library; the server listed first wins here, so at least every client agrees.
        points.Sort((a, b) => a.Hash != b.Hash ? a.Hash.CompareTo(b.Hash) : a.Order.CompareTo(b.Order));
        var distinct = points.Where((point, i) => i == 0 || point.Hash != points[i - 1].Hash).ToArray();
        _hashes = [.. distinct.Select(point => point.Hash)];
        _owners = [.. distinct.Select(point => point.Server)];
    }

    /// <summary>
    /// The name nginx hashes for <paramref name="server"/>: <c>host:port</c> as the URL gives them
    /// (<c>127.0.0.1:7001</c>, <c>[::1]:7001</c>, <c>counter-1:80</c>).
    /// </summary>
    public static string ServerName(Uri server) => $"{server.Host}:{server.Port}";

    /// <summary>The server that owns <paramref name="songId"/>.</summary>
    public Uri OwnerOf(string songId)
    {
        var length = Encoding.UTF8.GetByteCount(songId);
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(songId, bytes);
        var hash = Crc32Ieee.Compute(bytes);
        // The first point at or above the hash; past the last one, round to the first.
        var index = Array.BinarySearch(_hashes, hash);
        index = index >= 0 ? index : ~index;
        return _owners[index == _hashes.Length ? 0 : index];
    }

    /// <summary>The 160 points of the server named <paramref name="name"/>.</summary>
    internal static uint[] Points(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        var colon = Array.LastIndexOf(bytes, (byte)':');
        var hasPort = colon >= 0 && bytes.AsSpan(colon + 1).IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
        var host = hasPort ? bytes.AsSpan(0, colon) : bytes;
        var port = hasPort ? bytes.AsSpan(colon + 1) : [];
        var baseHash = Crc32Ieee.Update(Crc32Ieee.Update(Crc32Ieee.Update(Crc32Ieee.Start, host), [0]), port);

        var points = new uint[PointsPerServer];
        Span<byte> previous = stackalloc byte[4];
        uint last = 0;
        for (var i = 0; i < PointsPerServer; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(previous, last);
            last = Crc32Ieee.Final(Crc32Ieee.Update(baseHash, previous));
            points[i] = last;
        }
        return points;
    }
}
