using System.Diagnostics.CodeAnalysis;

namespace Mergepoints.Testing;

/// <summary>What a test does when the machine lacks something it needs (a server, a program).</summary>
public static class MissingPrerequisite
{
    /// <summary>
    /// Skips the test with <paramref name="why"/>, except in CI (<c>CI=true</c>), where it fails it: there a skip
    /// would pass for a test that never ran. ./test.sh installs what the tests need.
    /// </summary>
    [DoesNotReturn]
    public static void SkipOrFail(string why)
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail($"{why} (in CI a skipped test is not a passing test).");
        }
        Assert.Skip(why);
    }
}
