/**
 * The Maven side: the {@code render} goal, which turns its parameters into one {@link
 * dev.htmlize.engine.RenderRequest}, and plugin resolution through Maven's resolver.
 */
package dev.htmlize.maven;
