['a', 'b', 'c'].each { m ->
  (1..5).each { i ->
    def page = new File(basedir, "$m/target/generated-resources/htmlize/p${i}.html").getText('UTF-8')
    assert page == "<p>module $m page $i: <tt>$m$i</tt></p>\n"
    def jar = new java.util.jar.JarFile(new File(basedir, "$m/target/$m-1.0.jar"))
    assert jar.getEntry("p${i}.html") != null
    jar.close()
  }
}
true
