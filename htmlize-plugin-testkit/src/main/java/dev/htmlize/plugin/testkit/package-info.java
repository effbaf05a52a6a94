/**
 * A test kit for plugin authors: start a plugin as a real subprocess ({@link
 * dev.htmlize.plugin.testkit.PluginUnderTest}), or let a JUnit 5 extension do it once per test class ({@link
 * dev.htmlize.plugin.testkit.HtmlizePluginExtension}), and call it as the host does.
 */
package dev.htmlize.plugin.testkit;
