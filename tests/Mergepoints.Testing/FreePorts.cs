using System.Net;
using System.Net.Sockets;

namespace Mergepoints.Testing;

/// <summary>
/// Loopback ports free at the moment of asking, for what must be given a port up front (a config's slots, an
/// nginx upstream) rather than bind port 0 itself. All are held at once while chosen, so they differ.
/// </summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
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
}
