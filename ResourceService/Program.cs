using ResourceService;
using ResourceService.Apis;
using ResourceService.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddResourceService();
builder.AddGateway();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapApiDocumentation();
app.MapSecuredApi();
app.MapGateway();
app.Run();
