namespace Mergepoints.Host.Cli;

/// <summary>A command line the host cannot act on; printed as one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
