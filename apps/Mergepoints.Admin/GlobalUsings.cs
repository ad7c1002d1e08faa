// The OWIN delegate the admin is mounted as, named once for this assembly (a plain BCL type, as everywhere here).
global using AppFunc = System.Func<System.Collections.Generic.IDictionary<string, object>, System.Threading.Tasks.Task>;
