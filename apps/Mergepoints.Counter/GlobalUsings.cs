// The OWIN delegates, spelled in BCL types only: this app references nothing of the host's.
global using AppFunc = System.Func<System.Collections.Generic.IDictionary<string, object>, System.Threading.Tasks.Task>;
