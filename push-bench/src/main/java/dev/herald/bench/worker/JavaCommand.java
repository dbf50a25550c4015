package dev.herald.bench.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The command line that starts this program again in a new JVM: the same {@code java} binary and
 * class path. From the Spring Boot executable jar the classes are nested, so the child is started with
 * {@code -jar}; from a plain class path (IDE, Maven, tests) with {@code -cp} and the main class.
 */
public final class JavaCommand {

    public static final String MAIN_CLASS = "dev.herald.bench.cli.PushBench";

    private JavaCommand() {
    }

    public static List<String> of(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmOptions);
        String classPath = System.getProperty("java.class.path");
        if (isExecutableJar(classPath)) {
            cmd.add("-jar");
            cmd.add(classPath);
        } else {
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(MAIN_CLASS);
        }
        cmd.addAll(args);
        return cmd;
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** A single jar whose manifest starts push-bench itself (directly or through Spring Boot's launcher). */
    static boolean isExecutableJar(String classPath) {
        if (classPath == null || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return false;
            }
            String main = manifest.getMainAttributes().getValue("Main-Class");
            String start = manifest.getMainAttributes().getValue("Start-Class");
            return MAIN_CLASS.equals(main) || MAIN_CLASS.equals(start);
        } catch (IOException e) {
            return false;
        }
    }
}
