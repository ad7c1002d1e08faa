using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mergepoints.Host.Configuration;

namespace Mergepoints.Host.Slots;

/// <summary>
/// Chooses the slot a <c>serve</c> process runs on, before it touches anything else: the first slot whose lock it
/// can take at once and whose port it can bind. Running the same command N times thus gives N instances on the
/// config's first N slots, matching nginx's upstream; a slot freed by a dead instance is the next one taken.
/// </summary>
internal static class SlotPicker
{
    /// <summary>Takes a slot, or throws <see cref="NoFreeSlotException"/> naming them all.</summary>
    /// <param name="slots">The config's slots, in order.</param>
    /// <param name="logsDirectory">Where the locks and logs live; created if need be.</param>
    /// <param name="notes">Where a skipped slot is reported, one line each.</param>
    public static SlotClaim Take(IReadOnlyList<ListenSlot> slots, string logsDirectory, TextWriter notes)
    {
        Directory.CreateDirectory(logsDirectory);
        var foreign = new List<ListenSlot>();
        for (var i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            var name = Path.Combine(logsDirectory, slot.Port.ToString(CultureInfo.InvariantCulture));
            if (SlotLock.TryTake(name + ".lock") is not { } slotLock)
            {
                // Its pid is in the file, but .NET cannot read a file another process has flock'ed (it takes a
                // shared lock to read); cat can, so the line says where.
                notes.WriteLine($"mergepoints: slot {slot} skipped: held by another instance (its pid is in {name}.lock)");
                continue;
            }
            if (BindProblem(slot) is { } problem)
            {
                // Another program has the port: give the slot back so this is no instance's slot either.
                slotLock.Dispose();
                foreign.Add(slot);
                notes.WriteLine($"mergepoints: slot {slot} skipped: its port is in use by another program ({problem})");
                continue;
            }
            return new SlotClaim(slot, i + 1, slots.Count, name + ".log", slotLock);
        }
        var inUse = foreign.Count > 0 ? $"; another program has the port of {string.Join(", ", foreign)}" : "";
        throw new NoFreeSlotException($"every slot is taken ({string.Join(", ", slots)}){inUse}; stop an instance or add a slot to the config");
    }

    /// <summary>
    /// Binds the slot's port for a moment, to learn before the migration and the mounts whether Kestrel can. A
    /// foreign program could still take the port in between; then Kestrel's bind fails and the process exits 1.
    /// </summary>
    private static string? BindProblem(ListenSlot slot)
    {
        var address = IPAddress.TryParse(slot.Host.Trim('[', ']'), out var ip) ? ip
            : string.Equals(slot.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.Any;
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, slot.Port));
            socket.Listen();
            return null;
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    }
}
