using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Mergepoints.Owin.Tests.OwinToAspNetCore;

public sealed class AspNetCoreHeadersTests
{
    [Fact]
    public void Reads_and_writes_go_through_to_the_OWIN_dictionary()
    {
        var owin = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["X-Thing"] = ["one", "two"] };
        var headers = new AspNetCoreHeaders(owin);

        headers["X-New"] = "new";
        headers.Append("X-Added", "added");

        Assert.Equal(new StringValues(["one", "two"]), headers["x-thing"]);
        Assert.Equal(StringValues.Empty, headers["X-Absent"]);
        Assert.Equal(["new"], owin["X-New"]);
        Assert.Equal(["added"], owin["X-Added"]);
        Assert.Equal(owin.Count, headers.Count);
        Assert.Equal(owin.Keys, headers.Keys);
    }

    [Fact]
    public void Setting_an_empty_value_removes_the_header()
    {
        var owin = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["X-Gone"] = ["soon"] };

        new AspNetCoreHeaders(owin)["X-Gone"] = StringValues.Empty;

        Assert.False(owin.ContainsKey("X-Gone"));
    }

    [Fact]
    public void ContentLength_is_the_Content_Length_header()
    {
        var owin = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        var headers = new AspNetCoreHeaders(owin) { ContentLength = 42 };

        Assert.Equal(["42"], owin["Content-Length"]);
        owin["content-length"] = ["7"];
        Assert.Equal(7, headers.ContentLength);
        headers.ContentLength = null;
        Assert.False(owin.ContainsKey("Content-Length"));
        owin["Content-Length"] = ["not a number"];
        Assert.Null(headers.ContentLength);
    }
}
