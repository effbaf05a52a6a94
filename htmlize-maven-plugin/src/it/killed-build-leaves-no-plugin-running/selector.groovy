// Needs the Python sample plugin (Debian's python3-grpcio); always runs when cross-language tests are required, so
// that a missing plugin fails instead of passing unseen.
def plugin = new File(basedir, '../../../../sample-plugins/htmlize-abbr-plugin/target/plugin/abbr_plugin.py')
return plugin.canExecute() || Boolean.getBoolean('htmlize.requireCrossLanguage')
