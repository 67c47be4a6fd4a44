#:package Microsoft.IdentityModel.JsonWebTokens
#:property PublishAot=false
// What checking one JWT-based access token costs, on one thread of a quiet machine: the whole check as the library
// makes it (JsonWebTokenHandler: read, RS256 signature, issuer, audience, lifetime) against the RSA verification alone
// and the SHA-256 of the token. Run by bench/jwt.sh after the load runs, with B2's tokens and the emulator's keys:
//   dotnet run bench/lib/jwt-check-cost.cs -- <tokens file> <JWKS file>
// Prints one JSON object: microseconds per token, the median of 5 rounds over every token.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: jwt-check-cost.cs <tokens file> <JWKS file>");
    return 2;
}

var tokens = File.ReadAllLines(args[0]).Where(line => line.Length > 0).ToArray();
var keys = new JsonWebKeySet(File.ReadAllText(args[1]));
var handler = new JsonWebTokenHandler { MapInboundClaims = false };
var first = handler.ReadJsonWebToken(tokens[0]);
var key = keys.Keys.Single(k => k.Kid == first.Kid);
var issuer = first.Issuer;
// The library's parameters (SalesforceIdentity.AspNetCore/Jwt/JwtAccessTokenVerifier.cs), built once per token as there.
TokenValidationParameters Parameters() => new()
{
    ValidIssuer = issuer,
    ValidAudience = issuer,
    IssuerSigningKey = key,
    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
    RequireSignedTokens = true,
    RequireExpirationTime = true,
    ValidateLifetime = true,
    TryAllIssuerSigningKeys = false,
};
using var rsa = RSA.Create(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(key.N), Exponent = Base64UrlEncoder.DecodeBytes(key.E) });

async Task<double> Round(Func<string, ValueTask> check)
{
    var watch = Stopwatch.StartNew();
    foreach (var token in tokens)
    {
        await check(token);
    }

    return watch.Elapsed.TotalMicroseconds / tokens.Length;
}

async Task<double> Median(Func<string, ValueTask> check)
{
    await Round(check); // the JIT's warm-up
    var rounds = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        rounds.Add(await Round(check));
    }

    rounds.Sort();
    return rounds[rounds.Count / 2];
}

var library = await Median(async token =>
{
    var result = await handler.ValidateTokenAsync(handler.ReadJsonWebToken(token), Parameters());
    if (!result.IsValid)
    {
        throw result.Exception;
    }
});
var rsaOnly = await Median(token =>
{
    var dot = token.LastIndexOf('.');
    if (!rsa.VerifyData(Encoding.ASCII.GetBytes(token, 0, dot), Base64UrlEncoder.DecodeBytes(token[(dot + 1)..]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
    {
        throw new InvalidOperationException("a token's signature does not verify");
    }

    return ValueTask.CompletedTask;
});
var sha256 = await Median(token =>
{
    Span<byte> hash = stackalloc byte[32];
    SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
    return ValueTask.CompletedTask;
});

Console.WriteLine($$"""{"tokens": {{tokens.Length}}, "token_chars": {{tokens[0].Length}}, "handler_us": {{library:F1}}, "rsa_us": {{rsaOnly:F1}}, "sha256_us": {{sha256:F2}}}""");
return 0;
