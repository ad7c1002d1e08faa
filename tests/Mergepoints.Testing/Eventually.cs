namespace Mergepoints.Testing;

/// <summary>Waits for something another process or thread does, without a fixed sleep: reads until it is there.</summary>
public static class Eventually
{
    /// <summary>
    /// The first value <paramref name="read"/> gives that <paramref name="done"/> accepts; fails the test after
    /// <paramref name="seconds"/> with the value it last read.
    /// </summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen in {seconds} s; last seen: {value}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
