package dev.coderd.metrics.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A YAML document as plain values: maps, lists, strings, booleans, whole numbers, null.
 *
 * <pre>
 * Object root = YamlTree.parse("port: 2112\n"); // {port=2112}; throws YAMLException on bad YAML
 * </pre>
 *
 * <p>Built from SnakeYAML's composer (its node graph), not from {@code Yaml.load}: SnakeYAML's constructors
 * initialise its {@code TypeDescription}, whose logger calls {@code System.getLogger} from our class loader,
 * which starts {@code java.util.logging}'s {@code LogManager} there and then: before the application's
 * {@code main} could choose its own log manager. Only the safe subset is built (no Java types, aliases
 * limited by SnakeYAML's defaults).
 */
public final class YamlTree {
    private YamlTree() {}

    public static Object parse(String text) {
        LoaderOptions options = new LoaderOptions();
        Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options);
        Node root = composer.getSingleNode();
        return root == null ? null : value(root);
    }

    private static Object value(Node node) {
        if (node instanceof MappingNode) {
            Map<Object, Object> map = new LinkedHashMap<>();
            for (NodeTuple t : ((MappingNode) node).getValue()) {
                map.put(value(t.getKeyNode()), value(t.getValueNode()));
            }
            return map;
        }
        if (node instanceof SequenceNode) {
            List<Object> list = new ArrayList<>();
            for (Node item : ((SequenceNode) node).getValue()) {
                list.add(value(item));
            }
            return list;
        }
        String text = ((ScalarNode) node).getValue();
        Tag tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.BOOL.equals(tag)) {
            String t = text.toLowerCase(java.util.Locale.ROOT);
            return t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
        }
        if (Tag.INT.equals(tag)) {
            try {
                long n = Long.parseLong(text.replace("_", ""));
                return n == (int) n ? (Object) (int) n : (Object) n;
            } catch (NumberFormatException exotic) {
                return text; // hex, octal, sexagesimal: left as written
            }
        }
        return text;
    }
}
