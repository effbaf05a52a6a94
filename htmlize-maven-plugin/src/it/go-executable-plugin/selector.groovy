// Runs where the Go sample plugin was built (Debian's go-plugin 1.0.1 is installed), and always when cross-language
// tests are required, so that a missing plugin fails instead of passing unseen.
def plugin = new File(basedir, '../../../../sample-plugins/htmlize-go-tt-plugin/target/plugin/htmlize-go-tt-plugin')
return plugin.canExecute() || Boolean.getBoolean('htmlize.requireCrossLanguage')
