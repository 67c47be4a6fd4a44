using SampleUpstream.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, EchoJsonContext.Default));

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapEchoApi();
app.Run();
