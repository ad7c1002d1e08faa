using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mergepoints.Testing;

/// <summary>
/// Loopback ports free at the moment of asking, for what must be given a port up front (a config's slots, an
/// nginx upstream) rather than bind port 0 itself. They are chosen below the kernel's ephemeral range, since a
/// port from that range could be taken as the local end of any outgoing connection (Npgsql, HttpClient, nginx to
/// its upstreams) between being chosen here and being bound by the instance, which would then skip its slot as
/// "in use". Each is checked by binding it, and all are held at once while chosen, so they differ.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 20_000;
    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    public static int[] Take(int count)
    {
        var below = EphemeralStart();
        var listeners = new List<TcpListener>(count);
        try
        {
            // Random rather than counting up from Lowest, so test processes running side by side rarely try the
            // same port; the bind tells a taken one, and there are thousands to choose from.
            for (var tries = 0; listeners.Count < count; tries++)
            {
                if (tries == 1000)
                {
                    throw new InvalidOperationException($"No {count} free loopback ports in {Lowest}..{below - 1} after {tries} tries.");
                }
                var listener = new TcpListener(IPAddress.Loopback, Random.Shared.Next(Lowest, below));
                try
                {
                    listener.Start();
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    listener.Dispose();
                }
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    /// <summary>The first ephemeral port (Linux's default when the kernel does not say), kept above <see cref="Lowest"/>.</summary>
    private static int EphemeralStart()
    {
        var start = 32_768;
        if (File.Exists(EphemeralRange)
            && int.TryParse(File.ReadAllText(EphemeralRange).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
        {
            start = first;
        }
        return Math.Max(start, Lowest + 1_000);
    }
}
