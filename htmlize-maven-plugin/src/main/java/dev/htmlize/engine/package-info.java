/**
 * The rendering engine: sources to HTML pages through plugins, with no Maven types in it. {@link
 * dev.htmlize.engine.Engine#render} takes one {@link dev.htmlize.engine.RenderRequest}; the Maven goal only builds
 * that request.
 */
package dev.htmlize.engine;
