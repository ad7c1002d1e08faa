namespace Mergepoints.Admin.Counter;

/// <summary>What one counter server said to a request of the admin's, or why it said nothing.</summary>
/// <param name="Server">The counter's base URL.</param>
/// <param name="Succeeded">Whether it did what it was asked.</param>
/// <param name="Text">Its answer's first line, or what went wrong, readable on a page.</param>
public sealed record CounterAnswer(Uri Server, bool Succeeded, string Text);
