using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;

namespace SalesforceEmulator.Protocol;

/// <summary>The body formats the token endpoint and the identity service offer: <c>format=json|xml|urlencoded</c>, else the <c>Accept</c> header.</summary>
public enum ResponseFormat
{
    Json,
    Xml,
    UrlEncoded,
}

/// <summary>Chooses a <see cref="ResponseFormat"/> and writes a JSON answer in it.</summary>
public static class ResponseFormats
{
    public const string XmlContentType = "application/xml; charset=utf-8";
    public const string UrlEncodedContentType = "application/x-www-form-urlencoded; charset=utf-8";

    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>
    /// The <c>format</c> parameter wins; without it, the first of the <c>Accept</c> header's types that names a format.
    /// An unknown <c>format</c> value falls back to JSON [unverified: Salesforce's answer to one is not documented].
    /// </summary>
    public static ResponseFormat Choose(string? format, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(format))
        {
            return format.ToUpperInvariant() switch
            {
                "XML" => ResponseFormat.Xml,
                "URLENCODED" => ResponseFormat.UrlEncoded,
                _ => ResponseFormat.Json,
            };
        }

        foreach (var value in request.Headers.Accept.SelectMany(h => (h ?? "").Split(',')))
        {
            if (!MediaTypeWithQualityHeaderValue.TryParse(value.Trim(), out var accept))
            {
                continue;
            }

            switch (accept.MediaType?.ToUpperInvariant())
            {
                case "APPLICATION/JSON":
                    return ResponseFormat.Json;
                case "APPLICATION/XML" or "TEXT/XML":
                    return ResponseFormat.Xml;
                case "APPLICATION/X-WWW-FORM-URLENCODED":
                    return ResponseFormat.UrlEncoded;
                default:
                    break;
            }
        }

        return ResponseFormat.Json;
    }

    /// <summary>
    /// The object as XML under <paramref name="root"/>: one element per field, nested objects as nested elements, and
    /// a null as <c>xsi:nil="true"</c> [unverified: shape recalled from Salesforce's identity-URL documentation].
    /// </summary>
    public static string ToXml(JsonObject body, string root)
    {
        ArgumentNullException.ThrowIfNull(body);
        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            writer.WriteStartElement(root);
            writer.WriteAttributeString("xmlns", "xsi", null, XsiNamespace);
            WriteFields(writer, body);
            writer.WriteEndElement();
        }

        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + text;
    }

    /// <summary>
    /// The object as a form: <c>name=value</c> pairs; a nested object is written as Java prints a map,
    /// <c>{key=value, key=value}</c> [unverified: as recalled from Salesforce's identity-URL documentation].
    /// </summary>
    public static string ToUrlEncoded(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return string.Join('&', body.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(Scalar(p.Value))}"));
    }

    private static void WriteFields(XmlWriter writer, JsonObject body)
    {
        foreach (var (name, value) in body)
        {
            writer.WriteStartElement(name);
            switch (value)
            {
                case null:
                    writer.WriteAttributeString("xsi", "nil", XsiNamespace, "true");
                    break;
                case JsonObject nested:
                    WriteFields(writer, nested);
                    break;
                default:
                    writer.WriteString(Scalar(value));
                    break;
            }

            writer.WriteEndElement();
        }
    }

    private static string Scalar(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject nested => "{" + string.Join(", ", nested.Select(p => $"{p.Key}={Scalar(p.Value)}")) + "}",
        JsonArray array => "[" + string.Join(", ", array.Select(Scalar)) + "]",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };
}
