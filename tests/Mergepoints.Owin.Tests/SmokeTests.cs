namespace Mergepoints.Owin.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Runs() => Assert.Equal(2, 1 + 1);
}
