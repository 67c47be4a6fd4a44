using ResourceService;
using ResourceService.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddResourceService();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapApiDocumentation();
app.MapSecuredApi();
app.Run();
