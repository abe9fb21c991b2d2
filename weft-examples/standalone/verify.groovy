// Run by ./weft test after the standalone project's build (maven-invoker-plugin): the kit ran
// against ExecutorRuntime, and the executable jar runs with plain `java -jar`, the JVM flags
// coming from its manifest.
def log = new File(basedir, 'build.log').text
assert log.contains('Running com.example.weftapp.ExecutorRuntimeConformanceTest') : 'the kit did not run'
def totals = (log =~ /(?m)^\[INFO\] Tests run: (\d+), Failures: 0, Errors: 0, Skipped: 0$/).collect { it[1] as int }
assert !totals.isEmpty() : 'no test summary without failures or skips in build.log'
def ran = totals.last()
assert ran >= 50 : "only ${ran} tests ran; the kit's runtime, fault and sync suites hold about 50"
def jar = new File(basedir, 'target/weft-standalone-1.0.jar')
assert jar.isFile() : "no executable jar at ${jar}"
def java = new File(System.getProperty('java.home'), 'bin/java').path
def proc = new ProcessBuilder(java, '-jar', jar.path).redirectErrorStream(true).start()
def out = proc.inputStream.text
assert proc.waitFor() == 0 : "java -jar failed:\n${out}"
assert out.contains('weft got 42 from mine') : "unexpected output of java -jar:\n${out}"
assert out.contains('sequential tasks carried by Weft\'s workers: true') : "unexpected output of java -jar:\n${out}"
assert !out.contains('WARNING') : "java -jar printed warnings (a flag missing from the manifest?):\n${out}"
println "standalone: ${ran} tests passed; java -jar printed:\n${out}"
return true
