using System.Globalization;
using Mergepoints.Mash.Library;

namespace Mergepoints.Mash.Tests.Library;

/// <summary>Sizes as the pages and the upload errors write them: one way, with a decimal point, whatever the culture.</summary>
public sealed class ByteSizeTests
{
    [Theory]
    [InlineData(52428800, "50 MB")]
    [InlineData(1572864, "1.5 MB")]
    [InlineData(100000, "97.7 KB")]
    [InlineData(1024, "1 KB")]
    [InlineData(10, "10 bytes")]
    public void A_size_is_written_as_people_say_it(long bytes, string expected) => Assert.Equal(expected, ByteSize.Of(bytes));

    [Fact]
    public void A_server_that_writes_decimals_with_a_comma_still_writes_a_point()
    {
        // What de-DE would do to a number; the build is globalization-invariant, so de-DE itself cannot be loaded.
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        CultureInfo.CurrentCulture = comma;

        Assert.Equal("97.7 KB", ByteSize.Of(100000));
    }
}
