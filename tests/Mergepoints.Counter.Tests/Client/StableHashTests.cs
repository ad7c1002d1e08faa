using System.Text;
using Mergepoints.Counter.Client;

namespace Mergepoints.Counter.Tests.Client;

/// <summary>The hash is plain FNV-1a underneath, so a client in another language can place songs the same way.</summary>
public sealed class StableHashTests
{
    [Theory]
    // The reference vectors of FNV-1a 64 (Fowler, Noll and Vo's test suite).
    [InlineData("", 0xcbf29ce484222325)]
    [InlineData("a", 0xaf63dc4c8601ec8c)]
    [InlineData("foobar", 0x85944171f73967e8)]
    public void Fnv1a_gives_the_reference_values(string text, ulong expected) =>
        Assert.Equal(expected, StableHash.Fnv1a(Encoding.UTF8.GetBytes(text)));
}
