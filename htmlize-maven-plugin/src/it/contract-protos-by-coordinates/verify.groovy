// The contract's stubs were generated in this project from the jar's .proto files, and the class using them compiled.
def classes = new File(basedir, 'target/classes')
assert new File(classes, 'dev/htmlize/plugin/proto/HtmlizerGrpc.class').isFile()
assert new File(classes, 'dev/htmlize/plugin/proto/SiteGrpc.class').isFile()
assert new File(classes, 'dev/htmlize/goplugin/proto/GRPCBrokerGrpc.class').isFile()
assert new File(classes, 'example/Shout.class').isFile()
def generated = new File(basedir, 'target/generated-sources/protobuf')
assert new File(generated, 'dev/htmlize/plugin/proto/HtmlizerGrpc.java').isFile()
