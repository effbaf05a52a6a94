// Needs the Go and Python sample plugins; always runs when cross-language tests are required, so that a missing
// plugin fails instead of passing unseen.
def go = new File(basedir, '../../../../sample-plugins/htmlize-go-tt-plugin/target/plugin/htmlize-go-tt-plugin')
def abbr = new File(basedir, '../../../../sample-plugins/htmlize-abbr-plugin/target/plugin/abbr_plugin.py')
return (go.canExecute() && abbr.canExecute()) || Boolean.getBoolean('htmlize.requireCrossLanguage')
