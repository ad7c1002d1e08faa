namespace Mergepoints.Host.Slots;

/// <summary>Every slot of the config is held by another instance or its port is in use; printed as one line, exit code 2.</summary>
internal sealed class NoFreeSlotException(string message) : Exception(message);
