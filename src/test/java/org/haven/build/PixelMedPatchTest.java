package org.haven.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The PixelMed classes the build patches: the ones Haven loads have lost their debug strings and nothing else: they
 * decode every character set and read every file as PixelMed's own classes do (loaded from PixelMed's jar beside them).
 */
class PixelMedPatchTest {
    private static final byte ESC = 0x1b;

    @Test
    void theClassHavenLoadsDecodesWithoutTheDump() throws Exception {
        byte[] loaded;
        try (InputStream in = com.pixelmed.dicom.SpecificCharacterSet.class.getResourceAsStream("SpecificCharacterSet.class")) {
            loaded = in.readAllBytes();
        }
        assertThat(callsIn(loaded, PixelMedPatch.METHOD, PixelMedPatch.DESCRIPTOR)).doesNotContain(PixelMedPatch.DUMP_OWNER + "." + PixelMedPatch.DUMP);
        assertThat(callsIn(PixelMedPatch.original(PixelMedPatch.CLASS), PixelMedPatch.METHOD, PixelMedPatch.DESCRIPTOR))
            .as("PixelMed's own class, for comparison").contains(PixelMedPatch.DUMP_OWNER + "." + PixelMedPatch.DUMP);
        assertThat(callsIn(loaded, PixelMedPatch.METHOD, PixelMedPatch.DESCRIPTOR))
            .as("every other call stays").hasSize(callsIn(PixelMedPatch.original(PixelMedPatch.CLASS), PixelMedPatch.METHOD, PixelMedPatch.DESCRIPTOR).size() - 1);
    }

    @Test
    void aClassThatIsNotTheExpectedPixelMedIsRefused() throws Exception {
        byte[] patched = PixelMedPatch.patch(PixelMedPatch.original(PixelMedPatch.CLASS));
        assertThatThrownBy(() -> PixelMedPatch.patch(patched)).hasMessageContaining("found 0");
    }

    @Test
    void everyCharacterSetDecodesAsPixelMedsOwnClassDoes() throws Exception {
        URL pixelmed = jarOf(PixelMedPatch.originalUrl(PixelMedPatch.CLASS));
        URL slf4j = org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader original = new URLClassLoader(new URL[] {pixelmed, slf4j}, ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(original); // its slf4j looks for a logger there, not in Haven's
            Class<?> theirs = Class.forName("com.pixelmed.dicom.SpecificCharacterSet", true, original);
            Thread.currentThread().setContextClassLoader(context);
            assertThat(theirs).isNotSameAs(com.pixelmed.dicom.SpecificCharacterSet.class);
            Object[][] cases = {
                {new String[] {"ISO_IR 100"}, "M\u00fcller^J\u00fcrgen".getBytes(StandardCharsets.ISO_8859_1)},
                {new String[] {"ISO_IR 192"}, "\u0414\u0430\u0432\u0438\u0434^\u5c71\u7530 caf\u00e9".getBytes(StandardCharsets.UTF_8)},
                {new String[] {"ISO_IR 144"}, "\u0418\u0432\u0430\u043d\u043e\u0432".getBytes("ISO-8859-5")},
                {new String[] {"GB18030"}, "\u738b^\u5c0f\u660e".getBytes("GB18030")},
                {new String[] {"", "ISO 2022 IR 87"}, iso2022Japanese()},
                {new String[] {"ISO_IR 100"}, "plain ASCII^NAME".getBytes(StandardCharsets.US_ASCII)},
                {null, "no character set".getBytes(StandardCharsets.US_ASCII)},
            };
            for (Object[] c : cases) {
                String[] declared = (String[]) c[0];
                byte[] bytes = (byte[]) c[1];
                String expected = decode(theirs, declared, bytes);
                String actual = decode(com.pixelmed.dicom.SpecificCharacterSet.class, declared, bytes);
                assertThat(actual).as("decoded under %s", declared == null ? "none" : String.join("\\", declared)).isEqualTo(expected);
                assertThat(decodePart(com.pixelmed.dicom.SpecificCharacterSet.class, declared, bytes))
                    .isEqualTo(decodePart(theirs, declared, bytes));
            }
        } finally {
            Thread.currentThread().setContextClassLoader(context);
        }
    }

    private static String decode(Class<?> type, String[] declared, byte[] bytes) throws Exception {
        Object set = construct(type, declared);
        Method m = type.getMethod("translateByteArrayToString", byte[].class, int.class, int.class);
        return (String) m.invoke(set, bytes, 0, bytes.length);
    }

    /** The same from an offset (a value inside a larger buffer). */
    private static String decodePart(Class<?> type, String[] declared, byte[] bytes) throws Exception {
        byte[] padded = new byte[bytes.length + 4];
        System.arraycopy(bytes, 0, padded, 2, bytes.length);
        Object set = construct(type, declared);
        Method m = type.getMethod("translateByteArrayToString", byte[].class, int.class, int.class);
        return (String) m.invoke(set, padded, 2, bytes.length);
    }

    private static Object construct(Class<?> type, String[] declared) throws Exception {
        Constructor<?> c = type.getConstructor(String[].class);
        return c.newInstance((Object) declared);
    }

    /** PS3.5 H.3.1's example: Yamada^Tarou=山田^太郎=やまだ^たろう. */
    private static byte[] iso2022Japanese() {
        List<Byte> b = new ArrayList<>();
        for (byte x : "Yamada^Tarou=".getBytes(StandardCharsets.US_ASCII)) b.add(x);
        for (int x : new int[] {ESC, '$', 'B', 0x3b, 0x33, 0x45, 0x44, ESC, '(', 'B', '^', ESC, '$', 'B', 0x42, 0x40, 0x4f, 0x3a, ESC, '(', 'B', '=',
                                ESC, '$', 'B', 0x24, 0x64, 0x24, 0x5e, 0x24, 0x40, ESC, '(', 'B', '^', ESC, '$', 'B', 0x24, 0x3f, 0x24, 0x6d, 0x24, 0x26, ESC, '(', 'B'}) {
            b.add((byte) x);
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) out[i] = b.get(i);
        return out;
    }

    private static URL jarOf(URL resource) throws Exception {
        String s = resource.toString(); // jar:file:/.../pixelmed-20220618.jar!/com/...
        return new URL(s.substring("jar:".length(), s.indexOf("!/")));
    }

    @Test
    void theListHavenLoadsReadsWithoutTheTagTrace() throws Exception {
        byte[] loaded;
        try (InputStream in = com.pixelmed.dicom.AttributeList.class.getResourceAsStream("AttributeList.class")) {
            loaded = in.readAllBytes();
        }
        assertThat(constantsIn(loaded, PixelMedPatch.READ, PixelMedPatch.READ_DESCRIPTOR)).doesNotContain(PixelMedPatch.TAG_TRACE);
        assertThat(constantsIn(PixelMedPatch.original(PixelMedPatch.LIST_CLASS), PixelMedPatch.READ, PixelMedPatch.READ_DESCRIPTOR))
            .contains(PixelMedPatch.TAG_TRACE);
        assertThatThrownBy(() -> PixelMedPatch.patchList(loaded)).hasMessageContaining("found 0");
    }

    @Test
    void everyFileReadsAsWithPixelMedsOwnClasses(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        List<java.nio.file.Path> files = new ArrayList<>();
        new org.haven.synth.CtSet(7, true).write(3, 1, tmp);
        try (var walk = java.nio.file.Files.walk(tmp)) { walk.filter(java.nio.file.Files::isRegularFile).forEach(files::add); }
        java.nio.file.Path corpus = java.nio.file.Path.of("../shared/corpus");
        if (java.nio.file.Files.isDirectory(corpus)) { // real files too when the shared corpus is beside the project
            try (var walk = java.nio.file.Files.walk(corpus)) {
                walk.filter(java.nio.file.Files::isRegularFile).filter(f -> !f.getFileName().toString().matches("(?i).*\\.(tsv|md|txt|json)$"))
                    .sorted().forEach(files::add);
            }
        }
        URL pixelmed = jarOf(PixelMedPatch.originalUrl(PixelMedPatch.LIST_CLASS));
        URL slf4j = org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader original = new URLClassLoader(new URL[] {pixelmed, slf4j}, ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(original);
            Class<?> theirs = Class.forName("com.pixelmed.dicom.AttributeList", true, original);
            Thread.currentThread().setContextClassLoader(context);
            for (java.nio.file.Path f : files) {
                assertThat(read(com.pixelmed.dicom.AttributeList.class, f)).as("%s", f.getFileName()).isEqualTo(read(theirs, f));
            }
        } finally {
            Thread.currentThread().setContextClassLoader(context);
        }
    }

    /** The list's text, or the kind of failure. */
    private static String read(Class<?> listClass, java.nio.file.Path file) throws Exception {
        Object list = listClass.getConstructor().newInstance();
        try {
            listClass.getMethod("read", String.class).invoke(list, file.toString());
            return list.toString().replaceAll("\\[B@[0-9a-f]+", "[B@"); // a byte array's identity differs per run
        } catch (java.lang.reflect.InvocationTargetException e) {
            return "failed: " + e.getCause().getClass().getSimpleName();
        }
    }

    /** What one method of a class calls ("owner.name") and the constants it loads. */
    private record MethodCode(List<String> calls, List<Object> constants) {}

    private static MethodCode code(byte[] classBytes, String name, String descriptor) {
        MethodCode code = new MethodCode(new ArrayList<>(), new ArrayList<>());
        new ClassReader(classBytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String n, String d, String signature, String[] exceptions) {
                if (!n.equals(name) || !d.equals(descriptor)) return null;
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String callee, String calleeDescriptor, boolean isInterface) {
                        code.calls().add(owner + "." + callee);
                    }

                    @Override
                    public void visitLdcInsn(Object value) { code.constants().add(value); }
                };
            }
        }, 0);
        return code;
    }

    private static List<String> callsIn(byte[] classBytes, String name, String descriptor) {
        return code(classBytes, name, descriptor).calls();
    }

    private static List<Object> constantsIn(byte[] classBytes, String name, String descriptor) {
        return code(classBytes, name, descriptor).constants();
    }
}
