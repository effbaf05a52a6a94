/**
 * The plugin SDK: implement {@link dev.htmlize.plugin.Htmlizer} and serve it from {@code main} with
 * {@link dev.htmlize.plugin.HtmlizerPlugin#serve}.
 *
 * <p>Calls are concurrent: the host renders pages in parallel and may call one plugin from several threads at once,
 * so an {@code Htmlizer} must be thread-safe (a stateless one is). {@code configure} is called before any page of
 * a render; a plugin process may serve several renders in turn (the modules of one build, a preview's rebuilds), each
 * beginning with {@code configure}, with its own properties and site.
 */
package dev.htmlize.plugin;
