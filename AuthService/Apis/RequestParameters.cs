namespace AuthService.Apis;

/// <summary>Reads one OAuth parameter from a form body (or the query where the contract allows it).</summary>
internal static class RequestParameters
{
    /// <summary>The value, or null when it is absent or repeated (RFC 6749 §3.1: parameters must not repeat).</summary>
    public static async Task<string?> ReadAsync(HttpRequest request, string name, bool queryToo = false)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            if (form.TryGetValue(name, out var values))
            {
                return values.Count == 1 ? values[0] : null;
            }
        }

        if (queryToo && request.Query.TryGetValue(name, out var queryValues))
        {
            return queryValues.Count == 1 ? queryValues[0] : null;
        }

        return null;
    }
}
